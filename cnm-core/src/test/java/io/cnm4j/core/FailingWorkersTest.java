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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A backend and a listener that throw on purpose: delivery goes on and the counters show it. */
class FailingWorkersTest {
    private static final int BACKEND_FAILURES = 2;

    /** A backend whose first reads of active connections throw; later reads succeed. */
    private static final class FlakyBackend implements FlowBackend, FlowBackendProvider {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public int priority() {
            return 100;
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
        public List<TelemetryCounter> telemetryCounters() {
            return List.of();
        }

        @Override
        public void start() {
        }

        @Override
        public void readActive(ActiveConnectionConsumer consumer) {
            if (reads.incrementAndGet() <= BACKEND_FAILURES) {
                throw new IllegalStateException("failing on purpose");
            }
        }

        @Override
        public Map<Feature, FeatureStatus> features() {
            return Map.of();
        }

        @Override
        public Map<String, Long> telemetry() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void failingBackendAndListenerNeitherStopDeliveryNorGoUncounted() throws InterruptedException {
        FlakyBackend backend = new FlakyBackend();
        MonitorConfig config = MonitorConfig.builder().interval(Duration.ofMillis(20)).build();
        AtomicInteger throwingCalls = new AtomicInteger();
        FlowListener throwing = snapshot -> {
            throwingCalls.incrementAndGet();
            throw new IllegalStateException("failing on purpose");
        };
        List<FlowSnapshot> received = new CopyOnWriteArrayList<>();

        try (NetworkMonitor monitor = NetworkMonitor.builder().config(config).backend(backend).build()) {
            monitor.addListener(throwing);
            monitor.addListener(received::add);
            monitor.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((received.size() < 3 || throwingCalls.get() < 3) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            monitor.removeListener(throwing);

            assertThat(received).hasSizeGreaterThanOrEqualTo(3);
            // The failed collections reached nobody; the first delivered snapshot reports both.
            assertThat(received.get(0).telemetry().get("collector_errors")).isEqualTo(BACKEND_FAILURES);
            assertThat(received.get(1).telemetry().get("collector_errors")).isZero();
            Telemetry totals = monitor.telemetry();
            assertThat(totals.get("collector_errors")).isEqualTo(BACKEND_FAILURES);
            assertThat(totals.get("collector_stopped")).isZero();
            assertThat(totals.get(MonitorCounters.LISTENER_FAILURES)).isEqualTo(throwingCalls.get());
        }
    }
}
