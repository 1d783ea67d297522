package io.cnm4j.bench.load;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import java.time.Duration;

/** The library in this JVM, with one listener that only counts: the cheapest real consumer. */
final class LibraryCapture implements Capture {
    private final NetworkMonitor monitor;
    private final StormTally tally = new StormTally();

    private LibraryCapture(NetworkMonitor monitor) {
        this.monitor = monitor;
    }

    /** Opens and starts a monitor on the eBPF backend (refused rather than replaced), 1 s interval, no DNS. */
    static LibraryCapture open() {
        NetworkMonitor monitor = NetworkMonitor.builder().config(MonitorConfig.builder().backend("linux-ebpf")
                .interval(Duration.ofSeconds(1)).dnsEnabled(false).build()).build();
        LibraryCapture capture = new LibraryCapture(monitor);
        monitor.addListener(capture::count);
        monitor.start();
        return capture;
    }

    private void count(FlowSnapshot snapshot) {
        for (ConnectionStats c : snapshot.connections()) {
            tally.closed(c.key().localPort(), c.key().remotePort(), c.last().tcpClosed());
        }
        tally.lost(snapshot.telemetry());
    }

    @Override
    public String name() {
        return "cnm4j library";
    }

    @Override
    public long cpuNanos() {
        return CpuTime.thisProcessNanos();
    }

    @Override
    public StormTally tally() {
        return tally;
    }

    @Override
    public void close() {
        monitor.close();
    }
}
