package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.replay.ReplayBackendProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A polling client that polls less often than client_expiry is registered again, as in Datadog's system-probe. */
class ClientExpiryTest {
    private static final String TCP = "\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":40000,"
            + "\"raddr\":\"10.0.0.2\",\"rport\":443";
    private static final String TICK = "{\"event\":\"tick\"}";

    @Test
    void anExpiredClientPollsAgainAndGetsItsActiveConnectionsInFull() {
        // given: an expiry shorter than any two polls
        List<String> lines = List.of("{\"event\":\"update\",\"cookie\":1," + TCP + ",\"bytes_sent\":3}", TICK,
                "{\"event\":\"update\",\"cookie\":1," + TCP + ",\"bytes_sent\":5}", TICK, TICK);
        MonitorConfig config = MonitorConfig.builder().clientExpiry(Duration.ofNanos(1)).build();
        try (NetworkMonitor monitor = NetworkMonitor.builder().config(config)
                .backend(ReplayBackendProvider.fromLines(lines)).build()) {
            FlowClient client = monitor.registerClient("slow");
            monitor.start();

            // when
            FlowSnapshot first = client.poll();
            FlowSnapshot second = client.poll();
            FlowSnapshot third = client.poll();

            // then: each poll finds the client expired, registers it again and reports the flow in full
            assertThat(first.connections()).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(3));
            assertThat(second.connections()).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(5));
            assertThat(third.connections()).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(5));
            assertThat(monitor.telemetry().get(MonitorCounters.CLIENTS_EXPIRED)).isEqualTo(3);
        }
    }

    @Test
    void aClientPollingWithinTheExpiryGetsDeltas() {
        List<String> lines = List.of("{\"event\":\"update\",\"cookie\":1," + TCP + ",\"bytes_sent\":3}", TICK,
                "{\"event\":\"update\",\"cookie\":1," + TCP + ",\"bytes_sent\":5}", TICK);
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(lines)).build()) {
            FlowClient client = monitor.registerClient("fast");
            monitor.start();

            client.poll();
            FlowSnapshot second = client.poll();

            assertThat(second.connections()).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(2));
            assertThat(monitor.telemetry().get(MonitorCounters.CLIENTS_EXPIRED)).isZero();
        }
    }
}
