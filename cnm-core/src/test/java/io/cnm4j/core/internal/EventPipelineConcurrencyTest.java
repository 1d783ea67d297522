package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.spi.ConnectionEvent;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventPipelineConcurrencyTest {
    private static final int PRODUCERS = 4;
    private static final int EVENTS_PER_PRODUCER = 250_000;
    private static final int TOTAL = PRODUCERS * EVENTS_PER_PRODUCER;

    /** Producers publish closed flows with distinct ids; returns how many claims failed. */
    private static long produce(EventPipeline pipeline, ConnectionStateEngine engine, BitSet accepted)
            throws InterruptedException {
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicLong failedClaims = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                await(start);
                for (int i = 0; i < EVENTS_PER_PRODUCER; i++) {
                    int flowId = producer * EVENTS_PER_PRODUCER + i;
                    ConnectionEvent event = pipeline.claim();
                    if (event == null) {
                        failedClaims.incrementAndGet();
                        continue;
                    }
                    synchronized (accepted) {
                        accepted.set(flowId);
                    }
                    // local and remote port together make every flow's tuple unique
                    pipeline.publish(event.copyFrom(TestEvents.tcp(flowId, 1 + flowId % 60000, 1,
                            ConnectionEvent.Kind.CLOSED)).remotePort(1 + flowId / 60000));
                }
            });
            thread.start();
            producers.add(thread);
        }
        EventPipeline.Drainer drainer = pipeline.drainer(engine::apply);
        Thread consumer = new Thread(() -> {
            while (producing.get() || pipeline.queued() > 0) {
                drainer.drain(1024);
            }
        });
        consumer.start();
        start.countDown();
        for (Thread thread : producers) {
            thread.join();
        }
        producing.set(false);
        consumer.join();
        return failedClaims.get();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void millionEventsFromFourProducersAreDeliveredOnceEach() throws InterruptedException {
        MonitorConfig config = MonitorConfig.builder().closedBufferSize(TOTAL).build();
        ConnectionStateEngine engine = new ConnectionStateEngine(config);
        engine.registerClient("c", false, 0);
        EventPipeline pipeline = new EventPipeline(1 << 16);
        BitSet accepted = new BitSet(TOTAL);

        long failedClaims = produce(pipeline, engine, accepted);

        assertThat(failedClaims).isEqualTo(pipeline.dropped());
        assertThat(engine.pendingClosed("c")).isEqualTo(accepted.cardinality());
        List<ConnectionStats> read = engine.read("c", 1);
        assertThat(deliveredIds(read)).isEqualTo(accepted);
        assertThat(read).hasSize(accepted.cardinality()).allMatch(c -> c.last().tcpClosed() == 1);
        assertThat(read.size() + pipeline.dropped()).isEqualTo(TOTAL);
    }

    private static BitSet deliveredIds(List<ConnectionStats> read) {
        BitSet delivered = new BitSet(TOTAL);
        read.forEach(c -> delivered.set((int) c.cookie()));
        return delivered;
    }

    @Test
    void smallQueueDropsAreCountedExactly() throws InterruptedException {
        ConnectionStateEngine engine = new ConnectionStateEngine(MonitorConfig.builder().closedBufferSize(TOTAL).build());
        engine.registerClient("c", false, 0);
        EventPipeline pipeline = new EventPipeline(16);
        BitSet accepted = new BitSet(TOTAL);

        long failedClaims = produce(pipeline, engine, accepted);

        assertThat(pipeline.dropped()).isPositive().isEqualTo(failedClaims);
        List<ConnectionStats> read = engine.read("c", 1);
        assertThat(deliveredIds(read)).isEqualTo(accepted);
        assertThat(read).hasSize(accepted.cardinality()).allMatch(c -> c.last().tcpClosed() == 1);
        assertThat(read.size() + pipeline.dropped()).isEqualTo(TOTAL);
    }
}
