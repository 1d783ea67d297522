package io.cnm4j.tagging;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.FlowSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups a snapshot's connections by chosen tag keys on each side and sums their deltas: the
 * service dependency map is {@code TrafficAggregation.by("service").aggregate(snapshot)}, the
 * cross-zone report {@code by("zone")} keeping the {@linkplain TrafficGroup#crossing() crossing}
 * groups.
 *
 * <p>Keys are base names ({@code pod_name}); the local end's value is the tag of that name, the
 * remote end's the tag with the {@value TagKeys#REMOTE_PREFIX} prefix. Pseudo keys that need no
 * tagger: {@code ip} and {@code port} (of each end), {@code domain} (the remote end's first DNS
 * name, or its {@code remote_domain} tag). Each connection is oriented by its direction: for an
 * incoming connection the remote end is the client; otherwise the local end is. Immutable and
 * thread-safe.
 */
public final class TrafficAggregation {
    /** Pseudo key: the address of an end. */
    public static final String IP = "ip";
    /** Pseudo key: the port of an end. */
    public static final String PORT = "port";
    /** Pseudo key: the remote end's first DNS name. */
    public static final String DOMAIN = TagKeys.DOMAIN;

    private static final Comparator<TrafficGroup> ORDER = Comparator.comparingLong(TrafficGroup::bytes).reversed()
            .thenComparing(g -> g.client().toString() + "→" + g.server());

    private final List<String> clientKeys;
    private final List<String> serverKeys;

    private TrafficAggregation(List<String> clientKeys, List<String> serverKeys) {
        this.clientKeys = List.copyOf(clientKeys);
        this.serverKeys = List.copyOf(serverKeys);
    }

    /**
     * The same keys on both sides.
     *
     * @param keys the tag keys
     * @return the aggregation
     */
    public static TrafficAggregation by(String... keys) {
        return new TrafficAggregation(List.of(keys), List.of(keys));
    }

    /**
     * Different keys for clients and servers (for example {@code service} → {@code domain}).
     *
     * @param clientKeys the tag keys of the client side
     * @param serverKeys the tag keys of the server side
     * @return the aggregation
     */
    public static TrafficAggregation by(List<String> clientKeys, List<String> serverKeys) {
        return new TrafficAggregation(clientKeys, serverKeys);
    }

    /** {@return the tag keys of the client side} */
    public List<String> clientKeys() {
        return clientKeys;
    }

    /** {@return the tag keys of the server side} */
    public List<String> serverKeys() {
        return serverKeys;
    }

    /**
     * The client side's values of a connection (the side that opened it).
     *
     * @param c a connection
     * @return the values by key
     */
    public Map<String, String> clientSide(ConnectionStats c) {
        return Map.copyOf(side(c, clientKeys, c.direction() != Direction.INCOMING));
    }

    /**
     * The server side's values of a connection (the side that accepted it).
     *
     * @param c a connection
     * @return the values by key
     */
    public Map<String, String> serverSide(ConnectionStats c) {
        return Map.copyOf(side(c, serverKeys, c.direction() == Direction.INCOMING));
    }

    /**
     * The snapshot's connections grouped, heaviest (bytes both ways) first.
     *
     * @param snapshot a snapshot
     * @return the groups
     */
    public List<TrafficGroup> aggregate(FlowSnapshot snapshot) {
        return aggregate(snapshot.connections());
    }

    /**
     * The connections grouped, heaviest (bytes both ways) first.
     *
     * @param connections the connections
     * @return the groups
     */
    public List<TrafficGroup> aggregate(Collection<ConnectionStats> connections) {
        Map<List<Map<String, String>>, Sum> sums = new LinkedHashMap<>();
        for (ConnectionStats c : connections) {
            boolean remoteIsClient = c.direction() == Direction.INCOMING;
            Map<String, String> client = side(c, clientKeys, !remoteIsClient);
            Map<String, String> server = side(c, serverKeys, remoteIsClient);
            sums.computeIfAbsent(List.of(client, server), k -> new Sum()).add(c, remoteIsClient);
        }
        List<TrafficGroup> groups = new ArrayList<>(sums.size());
        sums.forEach((sides, sum) -> groups.add(sum.toGroup(sides.get(0), sides.get(1))));
        groups.sort(ORDER);
        return List.copyOf(groups);
    }

    private static Map<String, String> side(ConnectionStats c, List<String> keys, boolean local) {
        Map<String, String> values = new HashMap<>();
        ConnectionKey k = c.key();
        for (String key : keys) {
            String value = switch (key) {
                case IP -> (local ? k.localAddress() : k.remoteAddress()).getHostAddress();
                case PORT -> Integer.toString(local ? k.localPort() : k.remotePort());
                case DOMAIN -> local ? null : domain(c);
                default -> c.tags().get(local ? key : TagKeys.remote(key));
            };
            if (value != null && !value.isEmpty()) {
                values.put(key, value);
            }
        }
        return values;
    }

    private static String domain(ConnectionStats c) {
        String tagged = c.tags().get(TagKeys.remote(TagKeys.DOMAIN));
        if (tagged != null) {
            return tagged;
        }
        return c.dnsNames().isEmpty() ? null : c.dnsNames().get(0);
    }

    /** Running sums of one group. */
    private static final class Sum {
        long connections;
        long bytesUp;
        long bytesDown;
        long packetsUp;
        long packetsDown;
        long retransmits;
        long established;
        long closed;
        final Map<Integer, Long> failures = new TreeMap<>();
        double rttWeighted;
        long rttWeight;
        double rttPlain;
        long rttCount;

        void add(ConnectionStats c, boolean remoteIsClient) {
            Counters d = c.last();
            connections++;
            // from the client's point of view: an incoming connection's received bytes were sent by the client
            bytesUp += remoteIsClient ? d.bytesReceived() : d.bytesSent();
            bytesDown += remoteIsClient ? d.bytesSent() : d.bytesReceived();
            packetsUp += remoteIsClient ? d.packetsReceived() : d.packetsSent();
            packetsDown += remoteIsClient ? d.packetsSent() : d.packetsReceived();
            retransmits += d.retransmits();
            established += d.tcpEstablished();
            closed += d.tcpClosed();
            c.tcpFailures().forEach((errno, count) -> failures.merge(errno, count, Long::sum));
            if (c.rttMicros() > 0) {
                long weight = d.packetsSent() + d.packetsReceived();
                rttWeighted += (double) c.rttMicros() * weight;
                rttWeight += weight;
                rttPlain += c.rttMicros();
                rttCount++;
            }
        }

        TrafficGroup toGroup(Map<String, String> client, Map<String, String> server) {
            long rtt = rttWeight > 0 ? Math.round(rttWeighted / rttWeight)
                    : rttCount > 0 ? Math.round(rttPlain / rttCount) : 0;
            return new TrafficGroup(client, server, connections, bytesUp, bytesDown, packetsUp, packetsDown,
                    retransmits, established, closed, failures, rtt);
        }
    }
}
