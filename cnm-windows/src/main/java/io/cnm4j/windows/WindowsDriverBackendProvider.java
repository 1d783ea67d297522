package io.cnm4j.windows;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import io.cnm4j.windows.internal.DriverChannel;
import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.WindowsCounters;
import io.cnm4j.windows.internal.flows.WindowsDriverBackend;
import io.cnm4j.windows.internal.kernel32.Kernel32DriverChannel;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Windows backend ({@code windows-driver}): every TCP and UDP flow of the host, and IPv4 DNS,
 * from Datadog's network filter driver {@code ddnpm}, which the Datadog Agent installs (cnm4j
 * attaches to an installed driver and never ships it). Needs Windows Server 2012 R2+ or Windows
 * 10+, the driver running, and an Administrator process. Found by {@link java.util.ServiceLoader};
 * on other systems it is refused with one sentence and never touches kernel32.
 *
 * <p>Thread-safe: {@link #availability} and {@link #open} may be called from any thread.
 */
public final class WindowsDriverBackendProvider implements FlowBackendProvider {
    /** The backend's name, as in {@code MonitorConfig.backend}. */
    public static final String NAME = "windows-driver";

    private final String osName;
    private final Supplier<DriverChannel> channels;

    /** The provider of the running system, over kernel32. */
    public WindowsDriverBackendProvider() {
        this(System.getProperty("os.name", "unknown"), Kernel32DriverChannel::new);
    }

    /** A provider for a given OS name over given channels: tests drive a scripted driver with it. */
    WindowsDriverBackendProvider(String osName, Supplier<DriverChannel> channels) {
        this.osName = osName;
        this.channels = channels;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability availability(MonitorConfig config) {
        if (!osName.startsWith("Windows")) {
            return Availability.unavailable("The Windows driver backend runs only on Windows, not on " + osName + ".");
        }
        try {
            DriverChannel channel = channels.get();
            channel.closeHandle(channel.createFile(WindowsDriverBackend.FLOW_PATH, false));
            return Availability.available("Datadog network driver ddnpm through DeviceIoControl");
        } catch (DriverException e) {
            return Availability.unavailable(refusal(e));
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("The ddnpm driver cannot be reached through kernel32: " + e.getMessage());
        }
    }

    static String refusal(DriverException e) {
        return switch (e.win32Error()) {
            case Win32Error.FILE_NOT_FOUND, Win32Error.PATH_NOT_FOUND ->
                    "The ddnpm network driver is not installed or not running: install the Datadog Agent for "
                    + "Windows with Cloud Network Monitoring enabled (it installs ddnpm), or start the driver "
                    + "with 'sc.exe start ddnpm'.";
            case Win32Error.ACCESS_DENIED ->
                    "Opening the ddnpm driver was denied: run the process as Administrator (or LocalSystem).";
            default -> "Opening the ddnpm driver failed: " + e.getMessage() + ".";
        };
    }

    @Override
    public FlowBackend open(BackendContext context) {
        return WindowsDriverBackend.open(context, channels.get(), null, WindowsDriverBackendProvider::epochNanos);
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return WindowsCounters.backend();
    }
}
