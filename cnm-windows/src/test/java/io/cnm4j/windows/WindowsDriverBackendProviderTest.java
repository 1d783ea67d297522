package io.cnm4j.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.FlowBackendProvider;
import io.cnm4j.windows.internal.ScriptedDriverChannel;
import io.cnm4j.windows.internal.Win32Error;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class WindowsDriverBackendProviderTest {
    private static final String FLOW_PATH = "\\\\.\\ddnpm\\flowstatshandle";
    private final ScriptedDriverChannel channel = new ScriptedDriverChannel();

    @Test
    void anotherOsIsRefusedInOneSentenceWithoutTouchingKernel32() {
        WindowsDriverBackendProvider provider = new WindowsDriverBackendProvider("Linux", () -> {
            throw new AssertionError("no channel may be opened off Windows");
        });
        assertThat(provider.availability(MonitorConfig.defaults()))
                .isEqualTo(Availability.unavailable("The Windows driver backend runs only on Windows, not on Linux."));
    }

    @Test
    void windowsWithoutTheDriverSaysItIsNotInstalledAndHowToGetIt() {
        channel.failOpen(FLOW_PATH, Win32Error.FILE_NOT_FOUND);
        Availability availability = new WindowsDriverBackendProvider("Windows 11", () -> channel)
                .availability(MonitorConfig.defaults());
        assertThat(availability).isEqualTo(Availability.unavailable(
                "The ddnpm network driver is not installed or not running: install the Datadog Agent for Windows "
                        + "with Cloud Network Monitoring enabled (it installs ddnpm), or start the driver with "
                        + "'sc.exe start ddnpm'."));
    }

    @Test
    void windowsWithoutAdministratorRightsSaysSo() {
        channel.failOpen(FLOW_PATH, Win32Error.ACCESS_DENIED);
        assertThat(new WindowsDriverBackendProvider("Windows Server 2019", () -> channel)
                .availability(MonitorConfig.defaults()).reason())
                .isEqualTo("Opening the ddnpm driver was denied: run the process as Administrator (or LocalSystem).");
    }

    @Test
    void windowsWithTheDriverIsAvailableAndTheProbeHandleIsClosed() {
        Availability availability = new WindowsDriverBackendProvider("Windows Server 2012 R2", () -> channel)
                .availability(MonitorConfig.defaults());
        assertThat(availability).isEqualTo(Availability.available("Datadog network driver ddnpm through DeviceIoControl"));
        assertThat(channel.calls()).containsExactly("CreateFileW " + FLOW_PATH + " sync", "CloseHandle flowstatshandle");
        assertThat(channel.openHandles()).isEmpty();
    }

    @Test
    void aWindowsNameOnAnotherOsIsRefusedByTheKernel32ChannelNotCrashed() {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        Availability availability = new WindowsDriverBackendProvider("Windows 10",
                io.cnm4j.windows.internal.kernel32.Kernel32DriverChannel::new).availability(MonitorConfig.defaults());
        assertThat(availability.reason()).isEqualTo(
                "The ddnpm driver cannot be reached through kernel32: the kernel32 driver channel runs only on Windows");
    }

    @Test
    void theProviderIsRegisteredForServiceLoaderAndReportedWhenRefused() {
        // The test runs inside io.cnm4j.windows, which provides backends but does not look them up itself.
        getClass().getModule().addUses(FlowBackendProvider.class);
        assertThat(ServiceLoader.load(FlowBackendProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(WindowsDriverBackendProvider.class);
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        assertThatThrownBy(() -> NetworkMonitor.builder().build())
                .isInstanceOf(BackendUnavailableException.class)
                .satisfies(e -> assertThat(((BackendUnavailableException) e).reasons()).containsEntry("windows-driver",
                        "The Windows driver backend runs only on Windows, not on " + System.getProperty("os.name") + "."));
    }
}
