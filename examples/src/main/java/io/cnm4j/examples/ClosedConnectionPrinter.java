package io.cnm4j.examples;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.FlowListener;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.NetworkMonitor;
import java.io.PrintStream;
import java.util.TreeMap;

/** A minimal listener: prints each connection once, when it has closed, with its final totals. */
public final class ClosedConnectionPrinter implements FlowListener {
    private final PrintStream out;

    public ClosedConnectionPrinter(PrintStream out) {
        this.out = out;
    }

    /** Called on this listener's own thread, one snapshot at a time. */
    @Override
    public void onSnapshot(FlowSnapshot snapshot) {
        for (ConnectionStats c : snapshot.connections()) {
            if (c.closed()) {
                out.printf("closed %s sent=%d recv=%d failures=%s%n", c.key(), c.total().bytesSent(),
                        c.total().bytesReceived(), new TreeMap<>(c.tcpFailures()));
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        try (NetworkMonitor monitor = NetworkMonitor.builder().build()) {
            monitor.addListener(new ClosedConnectionPrinter(System.out));
            monitor.start();
            Thread.sleep(60_000);
        }
    }
}
