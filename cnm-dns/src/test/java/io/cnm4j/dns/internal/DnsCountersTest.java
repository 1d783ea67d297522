package io.cnm4j.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.testing.ReadmeTelemetryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DnsCountersTest {
    @Test
    void theProcessorReportsExactlyTheDeclaredCounters() {
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());

        assertThat(processor.telemetry().keySet())
                .isEqualTo(DnsCounters.PROCESSOR.stream().map(TelemetryCounter::name).collect(Collectors.toSet()));
    }

    @Test
    void readmeDocumentsEveryDnsCounter() {
        List<TelemetryCounter> all = new ArrayList<>(DnsCounters.PROCESSOR);
        all.addAll(DnsCounters.CAPTURE);

        assertThat(ReadmeTelemetryTable.load().problemsWith(all)).isEmpty();
    }
}
