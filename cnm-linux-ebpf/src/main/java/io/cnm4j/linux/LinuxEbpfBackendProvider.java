package io.cnm4j.linux;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import io.cnm4j.linux.internal.EbpfBackend;
import io.cnm4j.linux.internal.EbpfHostCheck;
import io.cnm4j.linux.internal.LinuxCounters;
import io.cnm4j.linux.internal.conntrack.NatEnrichedBackend;
import java.util.List;

/**
 * The Linux eBPF backend ({@code linux-ebpf}): every TCP and UDP connection of the host through
 * tracepoints and cgroup programs loaded with libbpf. Needs Linux 5.12+ with BTF (sends and
 * receives through tracepoints from 6.3, through fexit before), libbpf 1.x, cgroup v2 and CAP_BPF +
 * CAP_PERFMON + CAP_NET_ADMIN (or root). Found by {@link java.util.ServiceLoader}.
 */
public final class LinuxEbpfBackendProvider implements FlowBackendProvider {
    /** The backend's name, as in {@code MonitorConfig.backend}. */
    public static final String NAME = "linux-ebpf";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public LinuxEbpfBackendProvider() {
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
        return EbpfHostCheck.problem()
                .map(Availability::unavailable)
                .orElseGet(() -> Availability.available("eBPF tracepoints and cgroup programs through libbpf"));
    }

    @Override
    public FlowBackend open(BackendContext context) {
        return NatEnrichedBackend.wrap(EbpfBackend.open(context), context.config());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return LinuxCounters.ebpfBackend();
    }
}
