package io.cnm4j.examples;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.NetworkMonitor;
import java.io.PrintStream;

/** A polling client (pull): each poll returns what happened since the previous one; prints a summary of it. */
public final class PollingExporter {
    private final FlowClient client;
    private final PrintStream out;

    public PollingExporter(FlowClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /** Polls once and prints one line: connections, closed ones, interval bytes, DNS entries, lost records. */
    public void exportOnce() {
        FlowSnapshot s = client.poll();
        out.printf("connections=%d closed=%d sent=%d recv=%d dns=%d loss=%d%n", s.connections().size(),
                s.connections().stream().filter(ConnectionStats::closed).count(),
                s.connections().stream().mapToLong(c -> c.last().bytesSent()).sum(),
                s.connections().stream().mapToLong(c -> c.last().bytesReceived()).sum(),
                s.dnsStats().size(), s.telemetry().totalLoss());
    }

    public static void main(String[] args) throws InterruptedException {
        try (NetworkMonitor monitor = NetworkMonitor.builder().build()) {
            PollingExporter exporter = new PollingExporter(monitor.registerClient("polling-exporter"), System.out);
            monitor.start();
            for (int i = 0; i < 6; i++) {
                Thread.sleep(10_000);
                exporter.exportOnce();
            }
        }
    }
}
