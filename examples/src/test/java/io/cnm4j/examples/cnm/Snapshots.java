package io.cnm4j.examples.cnm;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Hand-built model values for view tests. */
final class Snapshots {
    static final Instant T0 = Instant.parse("2026-03-20T10:00:10Z");

    private Snapshots() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A connection from 10.0.0.1:lport with the given interval counters. */
    static ConnectionStats connection(Protocol protocol, int pid, Direction direction, int localPort, String remote,
            int remotePort, long sent, long received) {
        return connection(protocol, pid, direction, localPort, remote, remotePort,
                new Counters(sent, received, 1, 1, 0, 0, 0), 0, Map.of(), List.of(), Map.of());
    }

    static ConnectionStats connection(Protocol protocol, int pid, Direction direction, int localPort, String remote,
            int remotePort, Counters last, long rttMicros, Map<Integer, Long> failures, List<String> dnsNames,
            Map<String, String> tags) {
        ConnectionKey key = new ConnectionKey(Family.V4, protocol, ip("10.0.0.1"), localPort, ip(remote), remotePort,
                pid, 4026531840L);
        return new ConnectionStats(key, direction, 1, last, last, rttMicros, rttMicros / 4, failures, T0, T0, false,
                false, null, dnsNames, tags);
    }

    static DnsStats dns(String server, String domain, int... rcodesAndLatencies) {
        DnsStats.Builder builder = DnsStats.builder(new DnsStatsKey(ip("10.0.0.1"), ip(server), domain, 1));
        for (int i = 0; i < rcodesAndLatencies.length; i += 2) {
            if (rcodesAndLatencies[i] < 0) {
                builder.timeout();
            } else {
                builder.response(rcodesAndLatencies[i], rcodesAndLatencies[i + 1]);
            }
        }
        return builder.build();
    }
}
