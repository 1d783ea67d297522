package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.replay.ReplayBackendProvider;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class DnsLatencyHistogramTest {
    private static final String RESPONSE = "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\","
            + "\"domain\":\"example.com\",\"qtype\":\"A\",\"rcode\":%d,\"latency_us\":%d}";

    @Test
    void oneClientChangingItsHistogramLeavesEveryOtherClientsStatisticsIntact() {
        List<String> lines = List.of(RESPONSE.formatted(0, 300), RESPONSE.formatted(3, 1200), "{\"event\":\"tick\"}");
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(lines)).build()) {
            FlowClient a = monitor.registerClient("a");
            FlowClient b = monitor.registerClient("b");
            monitor.start();
            DnsStats forA = a.poll().dnsStats().getFirst();
            DnsStats forB = b.poll().dnsStats().getFirst();

            Histogram taken = forA.latencyHistogramMicros();
            taken.reset();
            taken.recordValue(99);

            for (DnsStats stats : List.of(forA, forB)) {
                Histogram latencies = stats.latencyHistogramMicros();
                assertThat(latencies.getTotalCount()).isEqualTo(2);
                assertThat(latencies.getCountAtValue(300)).isEqualTo(1);
                assertThat(latencies.getCountAtValue(1200)).isEqualTo(1);
                assertThat(latencies.getCountAtValue(99)).isZero();
                // 1,207 µs: the top of the bucket 1,200 falls in at two significant digits
                assertThat(stats.latencyMicrosAtPercentile(100)).isEqualTo(1207);
            }
            assertThat(forA.latencyHistogramMicros()).isNotSameAs(forA.latencyHistogramMicros());
        }
    }
}
