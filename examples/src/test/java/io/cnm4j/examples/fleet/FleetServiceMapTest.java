package io.cnm4j.examples.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FleetServiceMapTest {
    private static final long W0 = 0;
    private static final long W1 = 60_000;

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> connections;

    @BeforeEach
    void startDriver() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "fleet-map-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(
                FleetServiceMap.topology("fleet.conn", Duration.ofMinutes(1), Duration.ofSeconds(30)), config);
        connections = driver.createInputTopic("fleet.conn", new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private Map<MapEdge, Totals> services() {
        return FleetServiceMap.edges(driver.getKeyValueStore(FleetServiceMap.SERVICES_STORE));
    }

    private Map<MapEdge, Totals> zones() {
        return FleetServiceMap.edges(driver.getKeyValueStore(FleetServiceMap.ZONES_STORE));
    }

    @Test
    void threeRecordedHostsMakeExactWindowedTotalsCountingABothEndsConnectionOnce() {
        // given: each host's two intervals, stamped at 10 s (window 0) and 70 s (window 1)
        List<List<List<String>>> hosts = FleetRecordings.FLEET.stream().map(FleetRecordings.Host::connectionLines).toList();

        // when: the fleet's intervals arrive host after host
        for (int interval = 0; interval < 2; interval++) {
            for (int h = 0; h < hosts.size(); h++) {
                Instant at = Instant.ofEpochSecond(10 + 60L * interval);
                for (String line : hosts.get(h).get(interval)) {
                    connections.pipeInput(FleetRecordings.FLEET.get(h).name(), line, at);
                }
            }
        }

        // then: web-1 -> api-1:8080 is reported by both ends and counted once, with both ends' retransmits;
        // the refused attempt was seen by its client only, so its destination is the endpoint it called
        assertThat(services()).containsExactly(
                entry(new MapEdge(W0, "10.0.9.9", "postgres"), new Totals(30, 1, 0, 0)),
                entry(new MapEdge(W0, "api", "postgres"), new Totals(5050, 1, 0, 0)),
                entry(new MapEdge(W0, "frontend", "10.0.2.20:8080"), new Totals(0, 1, 1, 0)),
                entry(new MapEdge(W0, "frontend", "93.184.216.34:443"), new Totals(500, 1, 0, 0)),
                entry(new MapEdge(W0, "frontend", "api"), new Totals(1500, 1, 0, 3)),
                entry(new MapEdge(W1, "frontend", "api"), new Totals(1000, 1, 0, 1)));
        assertThat(zones()).containsExactly(
                entry(new MapEdge(W0, "eu-1a", "eu-1b"), new Totals(1500, 1, 0, 3)),
                entry(new MapEdge(W0, "eu-1a", "unknown"), new Totals(500, 2, 1, 0)),
                entry(new MapEdge(W0, "eu-1b", "eu-1b"), new Totals(5050, 1, 0, 0)),
                entry(new MapEdge(W0, "unknown", "eu-1b"), new Totals(30, 1, 0, 0)),
                entry(new MapEdge(W1, "eu-1a", "eu-1b"), new Totals(1000, 1, 0, 1)));
        assertThat(FleetServiceMap.lines(services())).first()
                .isEqualTo("1970-01-01T00:00:00Z 10.0.9.9 -> postgres bytes=30 connections=1 failures=0 retransmits=0");
    }

    @Test
    void endsJoinOnTheTupleAfterNat() {
        // given: the client called a service address that NAT sent to the server's own address
        String client = line("10.0.1.10", 41000, "10.96.0.1", 80, "outgoing", 100, 900, "frontend",
                "{\"laddr\":\"10.0.1.10\",\"lport\":41000,\"raddr\":\"10.0.2.20\",\"rport\":8080}");
        String server = line("10.0.2.20", 8080, "10.0.1.10", 41000, "incoming", 900, 100, "api", "null");

        // when: the server's report comes first
        connections.pipeInput("api-1", server, Instant.ofEpochSecond(5));
        connections.pipeInput("web-1", client, Instant.ofEpochSecond(6));

        // then: one connection from frontend to api, nothing left on the server-only edge
        assertThat(services()).containsExactly(entry(new MapEdge(W0, "frontend", "api"), new Totals(1000, 1, 0, 0)));
    }

    @Test
    void linesThatAreNotConnectionsAreIgnored() {
        connections.pipeInput("web-1", "{\"type\":\"telemetry\",\"ts\":1,\"backend\":\"replay\"}", Instant.ofEpochSecond(1));
        connections.pipeInput("web-1", "not json", Instant.ofEpochSecond(1));

        assertThat(services()).isEmpty();
    }

    private static String line(String laddr, int lport, String raddr, int rport, String direction, long sent,
            long received, String service, String nat) {
        return "{\"type\":\"conn\",\"ts\":1000,\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"" + laddr + "\",\"lport\":"
                + lport + ",\"raddr\":\"" + raddr + "\",\"rport\":" + rport + ",\"direction\":\"" + direction
                + "\",\"pid\":1,\"netns\":1,\"cookie\":1,\"bytes_sent\":" + sent + ",\"bytes_recv\":" + received
                + ",\"packets_sent\":1,\"packets_recv\":1,\"retransmits\":0,\"tcp_established\":1,\"tcp_closed\":0,"
                + "\"rtt_us\":0,\"rtt_var_us\":0,\"tcp_failures\":{},\"closed\":false,\"intra_host\":false,"
                + "\"duration_ms\":0,\"nat\":" + nat + ",\"dns_names\":[],\"tags\":{\"service\":\"" + service + "\"}}";
    }
}
