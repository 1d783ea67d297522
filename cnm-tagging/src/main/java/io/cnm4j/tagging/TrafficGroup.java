package io.cnm4j.tagging;

import java.util.Map;
import java.util.Objects;

/**
 * The traffic of one (client group, server group) pair in a snapshot, oriented from the side that
 * opened the connections (client) to the side that accepted them (server). Counters are the sums
 * of the connections' deltas. Immutable.
 *
 * @param client the client side's values of the chosen keys (a key without a value is absent)
 * @param server the server side's values of the chosen keys
 * @param connections connection records summed into this group
 * @param bytesClientToServer payload bytes the clients sent
 * @param bytesServerToClient payload bytes the servers sent
 * @param packetsClientToServer segments or datagrams the clients sent
 * @param packetsServerToClient segments or datagrams the servers sent
 * @param retransmits retransmitted TCP segments, both ways
 * @param tcpEstablished TCP connections established in the interval
 * @param tcpClosed TCP connections closed in the interval
 * @param failuresByErrno failed or aborted connections by errno
 * @param rttMicros smoothed RTT averaged over the connections that have one, weighted by their
 *                  packets in the interval (unweighted when none moved a packet); 0 when none has one
 */
public record TrafficGroup(
        Map<String, String> client,
        Map<String, String> server,
        long connections,
        long bytesClientToServer,
        long bytesServerToClient,
        long packetsClientToServer,
        long packetsServerToClient,
        long retransmits,
        long tcpEstablished,
        long tcpClosed,
        Map<Integer, Long> failuresByErrno,
        long rttMicros) {

    /**
     * Creates an instance from its components.
     */
    public TrafficGroup {
        client = Map.copyOf(Objects.requireNonNull(client, "client"));
        server = Map.copyOf(Objects.requireNonNull(server, "server"));
        failuresByErrno = Map.copyOf(failuresByErrno);
    }

    /** {@return bytes both ways} */
    public long bytes() {
        return bytesClientToServer + bytesServerToClient;
    }

    /** {@return failed or aborted connections, all errnos} */
    public long failures() {
        return failuresByErrno.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Whether the traffic crosses a boundary of the chosen keys: both sides have values and they
     * differ (zone a → zone b; not untagged → anything).
     *
     * @return whether the traffic crosses a boundary
     */
    public boolean crossing() {
        return !client.isEmpty() && !server.isEmpty() && !client.equals(server);
    }
}
