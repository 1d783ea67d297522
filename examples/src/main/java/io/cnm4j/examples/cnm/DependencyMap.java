package io.cnm4j.examples.cnm;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Direction;
import io.cnm4j.core.FlowSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who talked to whom, accumulated over snapshots: an edge from a process to the remote
 * endpoint it connected to (or from a remote client to the process that accepted it), with the
 * bytes exchanged both ways and the number of connections.
 *
 * <p>A process is named by its {@code service} tag, else its command name, else {@code pid N};
 * a remote endpoint by the first DNS name that resolved it, else {@code ip:port}. Incoming
 * connections are drawn from the client's address (or name), without its ephemeral port, to
 * the process. A connection is counted once per edge however many snapshots it appears in.
 *
 * <p>Names are resolved when a snapshot is added, while the process still runs. Not thread-safe.
 */
final class DependencyMap {
    /** Whether a node is a local process or a remote endpoint. */
    enum NodeKind { PROCESS, ENDPOINT }

    /**
     * A node of the map.
     *
     * @param kind process or endpoint
     * @param label what the node is called
     */
    record Node(NodeKind kind, String label) {
        Node {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * Traffic from one node to another.
     *
     * @param from who opened the connections
     * @param to who accepted them
     * @param bytes bytes sent plus received, over every connection and snapshot
     * @param connections distinct connections (tuples) seen
     */
    record Edge(Node from, Node to, long bytes, int connections) {
    }

    private static final Comparator<Edge> HEAVIEST_FIRST = Comparator.comparingLong(Edge::bytes).reversed()
            .thenComparing(e -> e.from().label())
            .thenComparing(e -> e.to().label());

    private final ProcessNames names;
    private final Grouping grouping;
    private final Map<List<Node>, Traffic> traffic = new LinkedHashMap<>();

    DependencyMap(ProcessNames names) {
        this(names, null);
    }

    /**
     * A map whose nodes are groups of {@code grouping} ({@code cnm map --by}); a side without the
     * grouping's tags keeps the default label.
     */
    DependencyMap(ProcessNames names, Grouping grouping) {
        this.names = Objects.requireNonNull(names, "names");
        this.grouping = grouping;
    }

    /** Adds every connection of a snapshot. */
    void add(FlowSnapshot snapshot) {
        snapshot.connections().forEach(this::add);
    }

    /** Adds one connection's interval counters. */
    void add(ConnectionStats c) {
        boolean incoming = c.direction() == Direction.INCOMING;
        String localGroup = grouping == null ? "" : incoming ? grouping.serverLabel(c) : grouping.clientLabel(c);
        String remoteGroup = grouping == null ? "" : incoming ? grouping.clientLabel(c) : grouping.serverLabel(c);
        Node process = new Node(NodeKind.PROCESS, localGroup.isEmpty() ? processLabel(c) : localGroup);
        Node remote = new Node(NodeKind.ENDPOINT, !remoteGroup.isEmpty() ? remoteGroup
                : incoming ? Endpoints.remoteHost(c) : remoteEndpoint(c));
        List<Node> edge = incoming ? List.of(remote, process) : List.of(process, remote);
        Traffic t = traffic.computeIfAbsent(edge, e -> new Traffic());
        t.bytes += c.last().bytesSent() + c.last().bytesReceived();
        t.connections.add(c.key());
    }

    /** Every edge, heaviest first (ties by labels). */
    List<Edge> edges() {
        List<Edge> edges = new ArrayList<>(traffic.size());
        traffic.forEach((ends, t) -> edges.add(new Edge(ends.get(0), ends.get(1), t.bytes, t.connections.size())));
        edges.sort(HEAVIEST_FIRST);
        return edges;
    }

    private String processLabel(ConnectionStats c) {
        String service = c.tags().get("service");
        if (service != null && !service.isBlank()) {
            return service;
        }
        int pid = c.key().pid();
        // the kernel's name survives the process; /proc only knows the living
        String comm = c.tags().get("process_name");
        if (comm == null) {
            comm = names.nameOf(pid);
        }
        if (!comm.isEmpty()) {
            return comm;
        }
        return pid > 0 ? "pid " + pid : "unknown process";
    }

    private static String remoteEndpoint(ConnectionStats c) {
        return c.dnsNames().isEmpty()
                ? Endpoints.remote(c.key())
                : c.dnsNames().get(0);
    }

    private static final class Traffic {
        private final Set<ConnectionKey> connections = new HashSet<>();
        private long bytes;
    }
}
