package io.cnm4j.windows.internal.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.testing.ReadmeTelemetryTable;
import io.cnm4j.core.testing.RecordingEventSink;
import io.cnm4j.windows.WindowsDriverBackendProvider;
import io.cnm4j.windows.internal.ScriptedDriverChannel;
import io.cnm4j.windows.internal.WindowsCounters;
import io.cnm4j.windows.internal.protocol.DriverStats;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WindowsCountersTest {
    private static final Set<String> DECLARED = new WindowsDriverBackendProvider().telemetryCounters().stream()
            .map(TelemetryCounter::name).collect(Collectors.toSet());

    @Test
    void everyCounterTheBackendReportsIsDeclared() {
        ScriptedDriverChannel channel = new ScriptedDriverChannel();
        try (WindowsDriverBackend backend = WindowsDriverBackend.open(
                new BackendContext(MonitorConfig.defaults(), new RecordingEventSink()), channel,
                DriverTimestamps.Unit.MICROS_SINCE_BOOT, () -> 0L)) {
            backend.start();
            backend.readActive(event -> { });

            assertThat(backend.telemetry()).isNotEmpty();
            assertThat(DECLARED).containsAll(backend.telemetry().keySet());
        }
    }

    @Test
    void everyFieldOfTheDriversStatsBlockIsDeclared() {
        List<String> names = Stream.concat(DriverStats.flowFields(DriverVersion.V18).stream(),
                DriverStats.transportFields().stream()).map(DriverStats::counterName).toList();

        assertThat(DECLARED).containsAll(names);
    }

    @Test
    void readmeDocumentsEveryWindowsCounter() {
        ReadmeTelemetryTable table = ReadmeTelemetryTable.load();

        assertThat(table.problemsWith(WindowsCounters.backend())).isEmpty();
    }
}
