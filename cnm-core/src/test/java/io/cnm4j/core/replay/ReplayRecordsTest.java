package io.cnm4j.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.internal.ReplayLine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Replay accepts complete records only, applies a tick in file order and bounds its DNS map. */
class ReplayRecordsTest {
    private static final String TCP = "\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":40000,"
            + "\"raddr\":\"10.0.0.2\",\"rport\":443";
    private static final String TICK = "{\"event\":\"tick\"}";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = ';', value = {
        "{\"event\":\"update\",\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":1,\"raddr\":\"10.0.0.2\",\"rport\":2}"
                + "; update record without \"cookie\"",
        "{\"event\":\"closed\",\"cookie\":1,\"proto\":\"tcp\",\"family\":\"v4\",\"lport\":1,\"raddr\":\"10.0.0.2\",\"rport\":2}"
                + "; closed record without \"laddr\"",
        "{\"event\":\"update\",\"cookie\":1,\"proto\":\"tcp\",\"family\":\"v6\",\"laddr\":\"10.0.0.1\",\"lport\":1,"
                + "\"raddr\":\"10.0.0.2\",\"rport\":2}; \"family\":\"v6\" needs IPv6 addresses in laddr and raddr",
        "{\"event\":\"update\",\"cookie\":1,\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":1,"
                + "\"raddr\":\"fd00::2\",\"rport\":2}; \"family\":\"v4\" needs IPv4 addresses in laddr and raddr",
        "{\"event\":\"update\",\"cookie\":-1}; \"cookie\" must not be negative",
        "{\"event\":\"update\",\"cookie\":1.5}; \"cookie\" must be an integer",
        "{\"event\":\"update\",\"cookie\":99999999999999999999}; \"cookie\" does not fit in 63 bits",
        "{\"event\":\"update\",\"lport\":65536}; \"lport\" must be 0..65535",
        "{\"event\":\"update\",\"pid\":2147483648}; \"pid\" must be 0..2147483647",
        "{\"event\":\"closed\",\"errno\":4096}; \"errno\" must be 0..4095",
        "{\"event\":\"update\",\"cookie\":1,\"cookie\":2}; field \"cookie\" is given twice",
        "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\",\"domain\":\"a.example\"}"
                + "; dns record without \"rcode\" or \"timeout\":true",
        "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\",\"rcode\":0}; dns record without \"domain\"",
        "{\"cookie\":1}; missing \"event\""
    })
    void incompleteOrInvalidRecordsAreRejectedWithTheirLineNumber(String line, String problem) {
        ReplayRecordException rejected = catchThrowableOfType(ReplayRecordException.class,
                () -> new ReplayLine().parse(line, 17));

        assertThat(rejected.lineNumber()).isEqualTo(17);
        assertThat(rejected.problem()).isEqualTo(problem);
        assertThat(rejected).hasMessage("replay line 17: " + problem);
    }

    @Test
    void aCompleteRecordTakesItsFlowIdFromTheCookie() {
        ReplayLine line = new ReplayLine();

        line.parse("{\"event\":\"closed\",\"cookie\":42," + TCP + ",\"bytes_sent\":7}", 1);

        assertThat(line.event().flowId()).isEqualTo(42);
        assertThat(line.event().cookie()).isEqualTo(42);
        assertThat(line.event().bytesSent()).isEqualTo(7);
    }

    @Test
    void rejectedLinesAreCountedAndTheOthersReplayed() {
        List<String> lines = List.of(
                "{\"event\":\"update\",\"cookie\":1," + TCP + ",\"bytes_sent\":5}",
                "{\"event\":\"update\"," + TCP + ",\"bytes_sent\":6}",
                TICK);
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(lines)).build()) {
            FlowClient client = monitor.registerClient("c");
            monitor.start();

            FlowSnapshot snapshot = client.poll();

            assertThat(snapshot.connections()).singleElement()
                    .satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(5));
            assertThat(snapshot.telemetry().get(ReplayBackendProvider.REJECTED_LINES)).isEqualTo(1);
        }
    }

    @Test
    void aTickIsAppliedInFileOrder() {
        // a flow closes, then a new flow reuses its cookie: in file order these are two flows
        List<String> lines = List.of(
                "{\"event\":\"update\",\"cookie\":1," + TCP + ",\"bytes_sent\":100}",
                TICK,
                "{\"event\":\"closed\",\"cookie\":1," + TCP + ",\"bytes_sent\":150}",
                "{\"event\":\"update\",\"cookie\":1," + TCP.replace("40000", "40001") + ",\"bytes_sent\":7}",
                TICK);
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(lines)).build()) {
            FlowClient client = monitor.registerClient("c");
            monitor.start();

            client.poll();
            List<ConnectionStats> second = client.poll().connections();

            assertThat(second).hasSize(2);
            assertThat(second).filteredOn(ConnectionStats::closed).singleElement().satisfies(c -> {
                assertThat(c.key().localPort()).isEqualTo(40000);
                assertThat(c.last().bytesSent()).isEqualTo(50);
            });
            assertThat(second).filteredOn(c -> !c.closed()).singleElement().satisfies(c -> {
                assertThat(c.key().localPort()).isEqualTo(40001);
                assertThat(c.last().bytesSent()).isEqualTo(7);
            });
        }
    }

    @Test
    void dnsRecordsBeyondMaxDnsStatsKeysAreDroppedAndCounted() {
        List<String> lines = List.of(dns("a.example"), dns("b.example"), dns("a.example"), dns("c.example"),
                dns("d.example"), TICK);
        MonitorConfig config = MonitorConfig.builder().maxDnsStats(2).build();
        try (NetworkMonitor monitor = NetworkMonitor.builder().config(config)
                .backend(ReplayBackendProvider.fromLines(lines)).build()) {
            FlowClient client = monitor.registerClient("c");
            monitor.start();

            FlowSnapshot snapshot = client.poll();

            assertThat(snapshot.dnsStats()).extracting(d -> d.key().domain()).containsExactly("a.example", "b.example");
            assertThat(snapshot.dnsStats()).filteredOn(d -> d.key().domain().equals("a.example"))
                    .singleElement().extracting(DnsStats::countsByRcode).isEqualTo(java.util.Map.of(0, 2L));
            assertThat(snapshot.telemetry().get(ReplayBackendProvider.DNS_STATS_DROPPED)).isEqualTo(2);
        }
    }

    private static String dns(String domain) {
        return "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\",\"domain\":\"" + domain
                + "\",\"rcode\":0,\"latency_us\":10}";
    }
}
