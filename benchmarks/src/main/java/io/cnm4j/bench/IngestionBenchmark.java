package io.cnm4j.bench;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.core.internal.EventPipeline;
import io.cnm4j.core.spi.ConnectionEvent;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ingestion: a backend claims pooled events from the {@link EventPipeline}, fills and publishes
 * them, and the collector drains them into {@link ConnectionStateEngine#apply}. Both sides run on
 * the benchmark thread, so the score is the per-core cost of producing plus consuming one event.
 * One operation is one event; events go in batches of {@value #BATCH} per drain, as the collector
 * drains up to 4096 at a time.
 *
 * <ul>
 *   <li>{@link #updateLiveFlows}: the steady state, UPDATE events round-robin over {@code flows}
 *       live flows (in a shuffled order). Target: 0 B/op, at least 5 M events/s.
 *   <li>{@link #closeNewFlows}: CLOSED events of flows never seen before (short-lived
 *       connections), buffered for one registered client. That client's buffer is recycled every
 *       {@value #CLOSED_RECYCLE} events so the cost of a read is not counted here (see
 *       {@link DeltaBenchmark}).
 *   <li>{@link #closeNewFlowsClientBufferFull}: the same, for a client that has stopped reading
 *       (a slow listener, or a poller until it expires) and whose closed buffer is full. One
 *       operation is one event here.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestionBenchmark {
    static final int BATCH = 1024;
    static final int CLOSED_RECYCLE = 16_384;
    private static final String CLIENT = "bench";

    /** Live flows the UPDATE events go round. */
    @Param("10000")
    public int flows;

    private EventPipeline pipeline;
    private ConnectionStateEngine engine;
    private EventPipeline.Drainer drainer;
    private int[] order;
    private int cursor;
    private long tick;
    private long nextNewFlow;

    @Setup(Level.Trial)
    public void setUp() {
        MonitorConfig config = MonitorConfig.builder()
                .maxTrackedConnections(Math.max(65_536, 2 * flows))
                .build();
        pipeline = new EventPipeline(config.queueCapacity());
        engine = new ConnectionStateEngine(config);
        engine.registerClient(CLIENT, true, System.nanoTime());
        drainer = pipeline.drainer(engine::apply);
        order = new int[flows];
        for (int i = 0; i < flows; i++) {
            order[i] = i;
        }
        Random random = new Random(42);
        for (int i = flows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        // First sight of every live flow: creates its state, so that the benchmark sees only updates.
        for (int i = 0; i < flows; i++) {
            pipeline.publish(SyntheticFlows.fill(pipeline.claim(), ConnectionEvent.Kind.UPDATE, i, ++tick));
            if (pipeline.queued() == BATCH) {
                drainer.drain(BATCH);
            }
        }
        drainer.drain(Integer.MAX_VALUE);
        nextNewFlow = flows;
        if (engine.activeCount() != flows) {
            throw new IllegalStateException("expected " + flows + " live flows, engine has " + engine.activeCount());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int updateLiveFlows() {
        for (int i = 0; i < BATCH; i++) {
            ConnectionEvent event = pipeline.claim();
            SyntheticFlows.fill(event, ConnectionEvent.Kind.UPDATE, order[cursor], ++tick);
            pipeline.publish(event);
            if (++cursor == order.length) {
                cursor = 0;
            }
        }
        return drainer.drain(BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int closeNewFlows() {
        for (int i = 0; i < BATCH; i++) {
            ConnectionEvent event = pipeline.claim();
            SyntheticFlows.fill(event, ConnectionEvent.Kind.CLOSED, nextNewFlow++, ++tick);
            pipeline.publish(event);
        }
        int applied = drainer.drain(BATCH);
        if (engine.pendingClosed(CLIENT) >= CLOSED_RECYCLE) {
            engine.unregisterClient(CLIENT);
            engine.registerClient(CLIENT, true, System.nanoTime());
        }
        return applied;
    }

    @Benchmark
    public int closeNewFlowsClientBufferFull(FullClientBuffer state) {
        ConnectionEvent event = state.pipeline.claim();
        SyntheticFlows.fill(event, ConnectionEvent.Kind.CLOSED, state.nextNewFlow++, ++state.tick);
        state.pipeline.publish(event);
        return state.drainer.drain(1);
    }

    /** An engine whose only client has a full closed buffer of the configured size. */
    @State(Scope.Thread)
    public static class FullClientBuffer {
        /** The client's closed buffer size; 65,536 is the default (= max tracked connections). */
        @Param("65536")
        public int closedBufferSize;

        EventPipeline pipeline;
        EventPipeline.Drainer drainer;
        long tick;
        long nextNewFlow;

        @Setup(Level.Trial)
        public void setUp() {
            MonitorConfig config = MonitorConfig.builder().closedBufferSize(closedBufferSize).build();
            pipeline = new EventPipeline(config.queueCapacity());
            ConnectionStateEngine engine = new ConnectionStateEngine(config);
            engine.registerClient(CLIENT, true, System.nanoTime());
            drainer = pipeline.drainer(engine::apply);
            ConnectionEvent event = new ConnectionEvent();
            while (nextNewFlow < closedBufferSize) {
                engine.apply(SyntheticFlows.fill(event, ConnectionEvent.Kind.CLOSED, nextNewFlow++, ++tick));
            }
            if (engine.pendingClosed(CLIENT) != closedBufferSize) {
                throw new IllegalStateException("closed buffer not full: " + engine.pendingClosed(CLIENT));
            }
        }
    }
}
