package io.cnm4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.MonitorCounters;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.replay.ReplayBackendProvider;
import io.cnm4j.core.testing.ReadmeTelemetryTable;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.LinuxSockDiagBackendProvider;
import io.cnm4j.tagging.internal.TaggingCounters;
import io.cnm4j.windows.WindowsDriverBackendProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's telemetry table lists exactly the counters every module declares, each once. */
class TelemetryTableTest {
    @Test
    void readmeTableAndDeclarationsOfAllModulesAgreeExactly() {
        List<TelemetryCounter> all = new ArrayList<>(MonitorCounters.ALL);
        all.addAll(ReplayBackendProvider.fromLines(List.of()).telemetryCounters());
        all.addAll(new LinuxEbpfBackendProvider().telemetryCounters());
        all.addAll(new LinuxSockDiagBackendProvider().telemetryCounters());
        all.addAll(new WindowsDriverBackendProvider().telemetryCounters());
        all.addAll(TaggingCounters.PROCESS);
        all.addAll(TaggingCounters.HOST);
        all.addAll(TaggingCounters.CONTAINER);
        all.addAll(TaggingCounters.KUBERNETES);
        all.addAll(ExporterCounters.KAFKA);
        all.addAll(ExporterCounters.OTLP);
        Map<String, TelemetryCounter> byName = new LinkedHashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (TelemetryCounter counter : all) {
            TelemetryCounter earlier = byName.putIfAbsent(counter.name(), counter);
            if (earlier != null && !earlier.equals(counter)) {
                conflicts.add(earlier + " / " + counter);
            }
        }

        ReadmeTelemetryTable table = ReadmeTelemetryTable.load();

        assertThat(conflicts).isEmpty();
        assertThat(table.problemsWith(byName.values())).isEmpty();
        assertThat(table.rows().keySet()).containsExactlyInAnyOrderElementsOf(byName.keySet());
        assertThat(table.duplicates()).isEmpty();
    }
}
