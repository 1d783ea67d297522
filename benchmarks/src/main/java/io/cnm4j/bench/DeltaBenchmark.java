package io.cnm4j.bench;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.core.internal.Enricher;
import io.cnm4j.core.spi.ConnectionEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One client's read of its deltas ({@link ConnectionStateEngine#read}) as immutable connections or
 * through a visitor, as done once per interval
 * per consumer: {@code activeConnections} live flows, every one with new traffic since the
 * previous read, plus {@code closedPending} flows that opened and closed in between. The
 * interval's events are applied before each read, outside the measured time (but inside the
 * allocation that {@code -prof gc} reports: the closed flows' own state is allocated then).
 * {@code gc.alloc.rate.norm} ÷ ({@code activeConnections} + {@code closedPending}) is the
 * allocation per connection; {@link MemoryFootprint} prints the read's own share per connection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DeltaBenchmark {
    private static final String CLIENT = "bench";

    @Param({"10000", "100000"})
    public int activeConnections;

    @Param({"0", "10000"})
    public int closedPending;

    private ConnectionStateEngine engine;
    private final ConnectionEvent event = new ConnectionEvent();
    private long tick;
    private long visitedBytes;
    private int visitedConnections;

    @Setup(Level.Trial)
    public void setUp() {
        engine = SyntheticFlows.engineWithReader(activeConnections + closedPending, CLIENT);
        bumpEveryFlow();
        engine.read(CLIENT, System.nanoTime());
    }

    /** The interval between two reads: every live flow moves, and closed flows come and go. */
    @Setup(Level.Invocation)
    public void bumpEveryFlow() {
        SyntheticFlows.applyInterval(engine, event, activeConnections, closedPending, ++tick);
    }

    @Benchmark
    public List<ConnectionStats> read() {
        List<ConnectionStats> connections = engine.read(CLIENT, System.nanoTime());
        if (connections.size() != activeConnections + closedPending) {
            throw new IllegalStateException("expected " + (activeConnections + closedPending)
                    + " connections, read " + connections.size());
        }
        return connections;
    }

    /** The same read handed to a visitor that sums the bytes, as an exporter walking a read would. */
    @Benchmark
    public long visit() {
        visitedBytes = 0;
        visitedConnections = 0;
        engine.read(CLIENT, System.nanoTime(), Enricher.NONE, view -> {
            visitedBytes += view.bytesSent();
            visitedConnections++;
        });
        if (visitedConnections != activeConnections + closedPending) {
            throw new IllegalStateException("expected " + (activeConnections + closedPending)
                    + " connections, visited " + visitedConnections);
        }
        return visitedBytes;
    }
}
