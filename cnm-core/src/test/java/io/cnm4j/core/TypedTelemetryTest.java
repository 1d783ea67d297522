package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.replay.ReplayBackendProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Snapshots give counters as deltas and gauges as values; underflows and undeclared names are counted. */
class TypedTelemetryTest {
    private static final String TICK = "{\"event\":\"tick\"}";
    private static final TelemetryCounter QUEUE_SIZE = TelemetryCounter.gauge("export_queue_size", "records queued now");
    private static final TelemetryCounter DROPPED = TelemetryCounter.loss("export_dropped", "records not exported");

    /** A listener reporting a gauge, a loss counter and, optionally, a name it never declared. */
    private static final class ExporterLike implements FlowListener {
        final AtomicLong queueSize = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final boolean reportsUndeclared;

        ExporterLike(boolean reportsUndeclared) {
            this.reportsUndeclared = reportsUndeclared;
        }

        @Override
        public void onSnapshot(FlowSnapshot snapshot) {
        }

        @Override
        public Map<String, Long> telemetry() {
            return reportsUndeclared
                    ? Map.of(QUEUE_SIZE.name(), queueSize.get(), DROPPED.name(), dropped.get(), "mystery_count", 9L)
                    : Map.of(QUEUE_SIZE.name(), queueSize.get(), DROPPED.name(), dropped.get());
        }

        @Override
        public List<TelemetryCounter> telemetryCounters() {
            return List.of(QUEUE_SIZE, DROPPED);
        }
    }

    private static NetworkMonitor replayMonitor() {
        return NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(List.of(TICK, TICK, TICK))).build();
    }

    @Test
    void gaugesAreCurrentValuesAndCountersThatGoBackwardsCountAnUnderflow() {
        ExporterLike exporter = new ExporterLike(false);
        try (NetworkMonitor monitor = replayMonitor()) {
            monitor.addListener(exporter);
            FlowClient client = monitor.registerClient("c");

            // when
            exporter.queueSize.set(5);
            exporter.dropped.set(10);
            Telemetry first = client.poll().telemetry();
            exporter.dropped.set(4);
            Telemetry second = client.poll().telemetry();
            exporter.dropped.set(6);
            Telemetry third = client.poll().telemetry();

            // then
            assertThat(List.of(first.get(QUEUE_SIZE), second.get(QUEUE_SIZE), third.get(QUEUE_SIZE)))
                    .containsExactly(5L, 5L, 5L);
            assertThat(List.of(first.get(DROPPED), second.get(DROPPED), third.get(DROPPED)))
                    .containsExactly(10L, 0L, 2L);
            assertThat(List.of(first.get(MonitorCounters.STATS_UNDERFLOWS), second.get(MonitorCounters.STATS_UNDERFLOWS),
                    third.get(MonitorCounters.STATS_UNDERFLOWS))).containsExactly(0L, 1L, 0L);
            assertThat(monitor.telemetry().get(MonitorCounters.STATS_UNDERFLOWS)).isEqualTo(1);
            assertThat(first.declaration(QUEUE_SIZE.name())).contains(QUEUE_SIZE);
        }
    }

    @Test
    void anUndeclaredNameIsLeftOutAndCounted() {
        try (NetworkMonitor monitor = replayMonitor()) {
            monitor.addListener(new ExporterLike(true));
            FlowClient client = monitor.registerClient("c");

            Telemetry first = client.poll().telemetry();
            Telemetry second = client.poll().telemetry();

            assertThat(first.counters()).doesNotContainKey("mystery_count");
            assertThat(first.get(MonitorCounters.TELEMETRY_UNDECLARED_NAMES)).isEqualTo(1);
            assertThat(second.get(MonitorCounters.TELEMETRY_UNDECLARED_NAMES)).isZero();
        }
    }

    @Test
    void aListenerCannotRedeclareACounterWithAnotherKind() {
        FlowListener conflicting = new FlowListener() {
            @Override
            public void onSnapshot(FlowSnapshot snapshot) {
            }

            @Override
            public List<TelemetryCounter> telemetryCounters() {
                return List.of(TelemetryCounter.gauge("queue_dropped", "not the monitor's counter"));
            }
        };
        try (NetworkMonitor monitor = replayMonitor()) {
            assertThatThrownBy(() -> monitor.addListener(conflicting)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("declares counter 'queue_dropped' as gauge (not the monitor's counter), "
                            + "already declared as loss");
        }
    }

    @Test
    void aConflictingTaggerFailsTheBuildBeforeAnyBackendOpens() {
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        ReplayBackendProvider replay = ReplayBackendProvider.fromLines(List.of());
        io.cnm4j.core.spi.FlowBackendProvider counting = new io.cnm4j.core.spi.FlowBackendProvider() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public int priority() {
                return 1;
            }

            @Override
            public io.cnm4j.core.spi.Availability availability(MonitorConfig config) {
                return replay.availability(config);
            }

            @Override
            public io.cnm4j.core.spi.FlowBackend open(io.cnm4j.core.spi.BackendContext context) {
                opened.incrementAndGet();
                return replay.open(context);
            }

            @Override
            public List<TelemetryCounter> telemetryCounters() {
                return replay.telemetryCounters();
            }
        };
        Tagger conflicting = new Tagger() {
            @Override
            public Map<String, String> tags(ConnectionKey key) {
                return Map.of();
            }

            @Override
            public List<TelemetryCounter> telemetryCounters() {
                return List.of(TelemetryCounter.gauge("conn_dropped", "not the monitor's counter"));
            }
        };

        assertThatThrownBy(() -> NetworkMonitor.builder().backend(counting).taggers(conflicting).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declares counter 'conn_dropped' as gauge");
        assertThat(opened).hasValue(0);
    }

    @Test
    void everyCounterOfAReplayMonitorIsDeclared() {
        try (NetworkMonitor monitor = replayMonitor()) {
            FlowClient client = monitor.registerClient("c");
            monitor.start();

            Telemetry snapshot = client.poll().telemetry();
            Telemetry totals = monitor.telemetry();

            assertThat(totals.get(MonitorCounters.TELEMETRY_UNDECLARED_NAMES)).isZero();
            assertThat(totals.counters().keySet()).containsAll(
                    MonitorCounters.ALL.stream().map(TelemetryCounter::name).toList());
            assertThat(totals.counters().keySet()).contains(ReplayBackendProvider.REJECTED_LINES.name(),
                    ReplayBackendProvider.DNS_STATS_DROPPED.name());
            assertThat(snapshot.counters().keySet()).isEqualTo(totals.counters().keySet());
        }
    }
}
