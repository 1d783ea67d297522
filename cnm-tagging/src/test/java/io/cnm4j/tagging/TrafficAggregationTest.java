package io.cnm4j.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficAggregationTest {
    private static ConnectionStats conn(Direction direction, String local, int lport, String remote, int rport,
            Counters last, long rtt, Map<Integer, Long> failures, Map<String, String> tags, List<String> dns)
            throws UnknownHostException {
        ConnectionKey key = new ConnectionKey(Family.V4, Protocol.TCP, InetAddress.getByName(local), lport,
                InetAddress.getByName(remote), rport, 1, 0);
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        return new ConnectionStats(key, direction, 1, last, last, rtt, 0, failures, t, t, false, false, null, dns, tags);
    }

    private static Counters counters(long sent, long recv, long psent, long precv, long retr, long est, long closed) {
        return new Counters(sent, recv, psent, precv, retr, est, closed);
    }

    @Test
    void serviceDependencyMapSumsExactlyAndOrientsIncomingConnections() throws UnknownHostException {
        Map<String, String> webToApi = Map.of("service", "web", "remote_service", "api");
        Map<String, String> apiFromWeb = Map.of("service", "api", "remote_service", "web");
        List<ConnectionStats> connections = List.of(
                // two outgoing connections web → api
                conn(Direction.OUTGOING, "10.0.0.1", 40000, "10.0.0.2", 8080, counters(100, 1000, 10, 20, 1, 1, 0),
                        200, Map.of(), webToApi, List.of()),
                conn(Direction.OUTGOING, "10.0.0.1", 40001, "10.0.0.2", 8080, counters(50, 500, 5, 5, 0, 1, 1),
                        400, Map.of(111, 1L), webToApi, List.of()),
                // the same kind of traffic seen from api's host: incoming, so web is still the client
                conn(Direction.INCOMING, "10.0.0.2", 8080, "10.0.0.1", 40002, counters(3000, 30, 30, 3, 2, 1, 1),
                        0, Map.of(104, 2L), apiFromWeb, List.of()),
                // web → an untagged external endpoint
                conn(Direction.OUTGOING, "10.0.0.1", 40003, "93.184.215.14", 443, counters(7, 9, 1, 1, 0, 0, 0),
                        0, Map.of(), Map.of("service", "web"), List.of("example.com")));

        List<TrafficGroup> groups = TrafficAggregation.by("service").aggregate(connections);

        assertThat(groups).containsExactly(
                new TrafficGroup(Map.of("service", "web"), Map.of("service", "api"), 3,
                        100 + 50 + 30, 1000 + 500 + 3000, 10 + 5 + 3, 20 + 5 + 30, 3, 3, 2,
                        Map.of(111, 1L, 104, 2L), Math.round((200.0 * 30 + 400.0 * 10) / 40)),
                new TrafficGroup(Map.of("service", "web"), Map.of(), 1, 7, 9, 1, 1, 0, 0, 0, Map.of(), 0));
        assertThat(groups.get(0).failures()).isEqualTo(3);
        assertThat(groups.get(0).rttMicros()).isEqualTo(250);
        assertThat(groups.get(0).crossing()).isTrue();
        assertThat(groups.get(1).crossing()).isFalse();
    }

    @Test
    void crossZoneReportIsOneCall() throws UnknownHostException {
        List<ConnectionStats> connections = List.of(
                conn(Direction.OUTGOING, "10.1.0.5", 1, "10.2.0.5", 5432, counters(10, 20, 1, 1, 0, 0, 0), 0, Map.of(),
                        Map.of("zone", "eu-west-1a", "remote_zone", "eu-west-1b"), List.of()),
                conn(Direction.OUTGOING, "10.1.0.5", 2, "10.1.0.6", 5432, counters(1, 2, 1, 1, 0, 0, 0), 0, Map.of(),
                        Map.of("zone", "eu-west-1a", "remote_zone", "eu-west-1a"), List.of()),
                conn(Direction.OUTGOING, "10.1.0.7", 3, "10.2.0.9", 5432, counters(5, 5, 1, 1, 0, 0, 0), 0, Map.of(),
                        Map.of("zone", "eu-west-1a", "remote_zone", "eu-west-1b"), List.of()));

        List<TrafficGroup> crossing = TrafficAggregation.by("zone").aggregate(connections).stream()
                .filter(TrafficGroup::crossing).toList();

        assertThat(crossing).singleElement().satisfies(g -> {
            assertThat(g.client()).isEqualTo(Map.of("zone", "eu-west-1a"));
            assertThat(g.server()).isEqualTo(Map.of("zone", "eu-west-1b"));
            assertThat(g.bytes()).isEqualTo(40);
            assertThat(g.connections()).isEqualTo(2);
        });
    }

    @Test
    void pseudoKeysNeedNoTagger() throws UnknownHostException {
        List<ConnectionStats> connections = List.of(
                conn(Direction.OUTGOING, "10.0.0.1", 40000, "93.184.215.14", 443, counters(1, 2, 1, 1, 0, 0, 0), 0,
                        Map.of(), Map.of("process_name", "curl"), List.of("example.com", "www.example.com")),
                conn(Direction.OUTGOING, "10.0.0.1", 40001, "93.184.215.14", 443, counters(3, 4, 1, 1, 0, 0, 0), 0,
                        Map.of(), Map.of("process_name", "curl"), List.of("example.com")));

        List<TrafficGroup> groups = TrafficAggregation.by(List.of("process_name"), List.of("domain", "port"))
                .aggregate(connections);

        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.client()).isEqualTo(Map.of("process_name", "curl"));
            assertThat(g.server()).isEqualTo(Map.of("domain", "example.com", "port", "443"));
            assertThat(g.bytesClientToServer()).isEqualTo(4);
            assertThat(g.bytesServerToClient()).isEqualTo(6);
        });
        assertThat(TrafficAggregation.by("ip").aggregate(connections)).singleElement()
                .satisfies(g -> assertThat(g.server()).isEqualTo(Map.of("ip", "93.184.215.14")));
    }
}
