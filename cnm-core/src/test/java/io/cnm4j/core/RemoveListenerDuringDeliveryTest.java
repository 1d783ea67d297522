package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A listener removed in the middle of a delivery pass (here by the backend, which the monitor asks
 * for its counters while it builds the first listener's snapshot) costs the listeners after it
 * nothing: they get the snapshot of that same pass, and the collector sees no failure.
 */
class RemoveListenerDuringDeliveryTest {

    /** A backend that runs a hook the first time the monitor reads its counters. */
    private static final class HookedBackend implements FlowBackend, FlowBackendProvider {
        private final AtomicBoolean fired = new AtomicBoolean();
        private volatile Runnable onFirstTelemetry = () -> { };

        @Override
        public String name() {
            return "hooked";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public List<TelemetryCounter> telemetryCounters() {
            return List.of();
        }

        @Override
        public Availability availability(MonitorConfig config) {
            return Availability.available("always, for the test");
        }

        @Override
        public FlowBackend open(BackendContext context) {
            return this;
        }

        @Override
        public void start() {
        }

        @Override
        public void readActive(ActiveConnectionConsumer consumer) {
        }

        @Override
        public Map<Feature, FeatureStatus> features() {
            return Map.of();
        }

        @Override
        public Map<String, Long> telemetry() {
            if (fired.compareAndSet(false, true)) {
                onFirstTelemetry.run();
            }
            return Map.of();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void listenersAfterTheRemovedOneStillGetTheSnapshotOfThatPass() throws InterruptedException {
        HookedBackend backend = new HookedBackend();
        MonitorConfig config = MonitorConfig.builder().interval(Duration.ofMillis(20)).build();
        List<FlowSnapshot> first = new CopyOnWriteArrayList<>();
        List<FlowSnapshot> removed = new CopyOnWriteArrayList<>();
        List<FlowSnapshot> last = new CopyOnWriteArrayList<>();
        FlowListener removedListener = removed::add;
        Telemetry totals;
        long skipped;

        try (NetworkMonitor monitor = NetworkMonitor.builder().config(config).backend(backend).build()) {
            monitor.addListener(first::add);
            monitor.addListener(removedListener);
            monitor.addListener(last::add);
            // The first counters read is the one of the first listener's first snapshot.
            backend.onFirstTelemetry = () -> monitor.removeListener(removedListener);
            monitor.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((first.size() < 3 || last.size() < 3) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            totals = monitor.telemetry();
            skipped = totals.get(MonitorCounters.LISTENER_SKIPPED_INTERVALS);
        }

        assertThat(backend.fired).isTrue();
        assertThat(removed).isEmpty();
        assertThat(totals.get("collector_errors")).isZero();
        assertThat(totals.get(MonitorCounters.LISTENER_FAILURES)).isZero();
        assertThat(first).hasSizeGreaterThanOrEqualTo(3);
        // Every pass reaches both remaining listeners, unless one was still busy (counted as skipped);
        // closing lets the last delivered snapshots finish.
        assertThat((long) Math.abs(first.size() - last.size())).isLessThanOrEqualTo(skipped);
    }
}
