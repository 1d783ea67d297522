package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.replay.ReplayBackendProvider;
import io.cnm4j.core.testing.ReadmeTelemetryTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryDeclarationsTest {
    @Test
    void readmeDocumentsTheMonitorsAndTheReplayBackendsCountersWithTheirKindAndMeaning() {
        List<TelemetryCounter> declared = new ArrayList<>(MonitorCounters.ALL);
        declared.addAll(ReplayBackendProvider.fromLines(List.of()).telemetryCounters());

        ReadmeTelemetryTable table = ReadmeTelemetryTable.load();

        assertThat(table.problemsWith(declared)).isEmpty();
        assertThat(table.duplicates()).isEmpty();
    }

    @Test
    void totalLossSumsExactlyTheLossCounters() {
        Map<TelemetryCounter, Long> counters = new LinkedHashMap<>();
        counters.put(MonitorCounters.QUEUE_DROPPED, 3L);
        counters.put(MonitorCounters.CONN_VANISHED, 4L);
        counters.put(MonitorCounters.LISTENER_FAILURES, 5L);
        counters.put(MonitorCounters.EVENTS_APPLIED, 1000L);
        counters.put(MonitorCounters.FLOW_ID_COLLISIONS, 7L);
        counters.put(MonitorCounters.COLLECTOR_STOPPED, 1L);
        counters.put(TelemetryCounter.health("export_retries_dropped", "a health counter whose name ends in _dropped"),
                11L);

        Telemetry telemetry = Telemetry.of(counters);

        assertThat(telemetry.totalLoss()).isEqualTo(3 + 4 + 5);
        assertThat(telemetry.ofKind(CounterKind.GAUGE)).containsExactly(Map.entry("collector_stopped", 1L));
        assertThat(telemetry.declaration("conn_vanished")).contains(MonitorCounters.CONN_VANISHED);
    }

    @Test
    void oneNameCannotCarryTwoDeclarations() {
        Map<TelemetryCounter, Long> counters = new LinkedHashMap<>();
        counters.put(TelemetryCounter.loss("x_dropped", "one meaning"), 1L);
        counters.put(TelemetryCounter.gauge("x_dropped", "another meaning"), 2L);

        assertThatThrownBy(() -> Telemetry.of(counters)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("counter 'x_dropped' is declared twice");
    }

    @Test
    void declarationsNeedASnakeCaseNameAndAOneLineMeaning() {
        assertThatThrownBy(() -> TelemetryCounter.loss("Queue-Dropped", "m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a counter name is lower-case snake case: 'Queue-Dropped'");
        assertThatThrownBy(() -> TelemetryCounter.loss("q", "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the meaning of 'q' must be one line without '|'");
        assertThatThrownBy(() -> TelemetryCounter.loss("q", " "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
