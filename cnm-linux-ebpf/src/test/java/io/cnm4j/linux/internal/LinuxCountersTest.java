package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.testing.ReadmeTelemetryTable;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.LinuxSockDiagBackendProvider;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LinuxCountersTest {
    @Test
    void eachProviderDeclaresEveryNameOnce() {
        for (List<TelemetryCounter> declared : List.of(new LinuxEbpfBackendProvider().telemetryCounters(),
                new LinuxSockDiagBackendProvider().telemetryCounters())) {
            assertThat(declared.stream().map(TelemetryCounter::name).collect(Collectors.toSet()))
                    .hasSameSizeAs(declared);
        }
    }

    @Test
    void readmeDocumentsEveryLinuxCounter() {
        ReadmeTelemetryTable table = ReadmeTelemetryTable.load();

        assertThat(table.problemsWith(LinuxCounters.ebpfBackend())).isEmpty();
        assertThat(table.problemsWith(LinuxCounters.sockDiagBackend())).isEmpty();
    }
}
