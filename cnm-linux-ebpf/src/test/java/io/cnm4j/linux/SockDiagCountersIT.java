package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.testing.RecordingEventSink;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every counter the sock_diag backend (with NAT resolution) reports on this host is declared. */
class SockDiagCountersIT {
    @Test
    void everyReportedCounterIsDeclared() {
        LinuxSockDiagBackendProvider provider = new LinuxSockDiagBackendProvider();
        Set<String> declared = provider.telemetryCounters().stream().map(TelemetryCounter::name)
                .collect(Collectors.toSet());

        try (FlowBackend backend = provider.open(new BackendContext(MonitorConfig.defaults(), new RecordingEventSink()))) {
            backend.start();
            backend.readActive(event -> { });

            assertThat(backend.telemetry()).containsKey("sockdiag_connections_missed");
            assertThat(declared).containsAll(backend.telemetry().keySet());
        }
    }
}
