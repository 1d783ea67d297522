package io.cnm4j.linux;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import io.cnm4j.linux.internal.LinuxCounters;
import io.cnm4j.linux.internal.conntrack.NatEnrichedBackend;
import io.cnm4j.linux.internal.sockdiag.SockDiagBackend;
import java.util.List;

/**
 * The Linux fallback backend ({@code linux-sockdiag}): TCP connections of the monitor's network
 * namespace polled through netlink sock_diag at every collection. Needs no BPF and no
 * capability, so it runs for any user; it misses connections shorter than the interval (and
 * counts them in {@code sockdiag_connections_missed}), sees no UDP counters and no DNS.
 * Chosen when {@code linux-ebpf} cannot load. Found by {@link java.util.ServiceLoader}.
 */
public final class LinuxSockDiagBackendProvider implements FlowBackendProvider {
    /** The backend's name, as in {@code MonitorConfig.backend}. */
    public static final String NAME = "linux-sockdiag";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public LinuxSockDiagBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public Availability availability(MonitorConfig config) {
        return SockDiagBackend.problem()
                .map(Availability::unavailable)
                .orElseGet(() -> Availability.available("netlink sock_diag polled every interval, no capability needed"));
    }

    @Override
    public FlowBackend open(BackendContext context) {
        return NatEnrichedBackend.wrap(SockDiagBackend.open(), context.config());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return LinuxCounters.sockDiagBackend();
    }
}
