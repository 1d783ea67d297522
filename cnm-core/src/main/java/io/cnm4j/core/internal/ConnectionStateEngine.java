package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.ConnectionVisitor;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.Errno;
import io.cnm4j.core.Family;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.MonitorCounters;
import io.cnm4j.core.Telemetry;
import io.cnm4j.core.spi.ConnectionEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-consumer delta engine, with the semantics of Datadog's {@code network/state.go}:
 * flows are tracked by id (socket cookie, or a keyed hash of cookie and peer) confirmed by their
 * full identity, so neither a reused tuple nor two flows sharing an id ever mix counts; every
 * registered client gets the counters it has not seen since its own previous read; closed
 * flows are delivered exactly once to every client registered when they closed; flows are then
 * aggregated by tuple and direction; zero deltas of live flows are not reported (a closed flow always
 * is, once); every drop is counted.
 *
 * <p>Not thread-safe: the monitor calls it under one lock.
 */
public final class ConnectionStateEngine {
    private final MonitorConfig config;
    private final ConnectionFilter filter;
    private final boolean[] trackedErrnos = new boolean[256];
    private final LiveFlowTable active;
    private final Map<String, ClientState> clients = new LinkedHashMap<>();
    private final byte[] ipv4 = new byte[4];
    private final AggregateTable aggregates = new AggregateTable();
    private final IntraHostMarker intraHost = new IntraHostMarker();
    private long eventsApplied;
    private long connDropped;
    private long closedConnDropped;
    private long clientStateDropped;
    private long dnsStatsDropped;
    private long clientsExpired;
    private long connVanished;
    private long refreshNanos;
    private long nextSerial;

    public ConnectionStateEngine(MonitorConfig config) {
        this.config = config;
        this.filter = ConnectionFilter.compile(config.sourceExclusions(), config.destinationExclusions());
        this.active = new LiveFlowTable(Math.min(config.maxTrackedConnections(), 1 << 16));
        for (Errno errno : config.trackedFailures()) {
            trackedErrnos[errno.number()] = true;
        }
    }

    /** Applies one event; the event may be reused by the caller afterwards. */
    public void apply(ConnectionEvent event) {
        eventsApplied++;
        TrackedFlow flow = active.find(event);
        boolean closing = event.kind() == ConnectionEvent.Kind.CLOSED;
        if (flow == null) {
            if (!closing && active.size() >= config.maxTrackedConnections()) {
                connDropped++;
                return;
            }
            ConnectionKey key = keyOf(event);
            flow = new TrackedFlow(event, ++nextSerial, key, !accepts(key));
            if (!closing) {
                active.add(flow);
            }
        } else if (closing) {
            active.remove(flow);
        }
        flow.absorb(event);
        if (closing) {
            int errno = event.failureErrno();
            close(flow, errno > 0 && errno < trackedErrnos.length && trackedErrnos[errno] ? errno : 0);
        } else {
            flow.lastRefreshNanos = refreshNanos;
        }
    }

    private void close(TrackedFlow flow, int errno) {
        flow.close(errno);
        if (!flow.excluded) {
            for (ClientState client : clients.values()) {
                if (!client.bufferClosed(flow, config.closedBufferSize())) {
                    closedConnDropped++;
                }
            }
        }
    }

    /** Marks the start of a full read of the backend's live flows, taken at {@code nowNanos}. */
    public void beginRefresh(long nowNanos) {
        refreshNanos = nowNanos;
    }

    /**
     * After full reads: a live flow absent from every read for longer than the grace period has
     * vanished from the kernel without its close event (lost to a full ring buffer); it is
     * closed with its last counters and counted as {@code conn_vanished}, so state cannot grow
     * without bound.
     */
    public void closeVanished(long nowNanos, long graceNanos) {
        List<TrackedFlow> vanished = new ArrayList<>();
        active.forEach(flow -> {
            if (nowNanos - flow.lastRefreshNanos > graceNanos) {
                vanished.add(flow);
            }
        });
        for (TrackedFlow flow : vanished) {
            active.remove(flow);
            close(flow, 0);
            connVanished++;
        }
    }

    private boolean accepts(ConnectionKey key) {
        if (key.protocol() == Protocol.TCP && !config.collectTcp()
                || key.protocol() == Protocol.UDP && !config.collectUdp()
                || key.family() == Family.V6 && !config.collectIpv6()) {
            return false;
        }
        return !filter.excludes(key);
    }

    private ConnectionKey keyOf(ConnectionEvent event) {
        return new ConnectionKey(event.family(), event.protocol(),
                address(event.family(), event.localAddress()), event.localPort(),
                address(event.family(), event.remoteAddress()), event.remotePort(),
                event.pid(), event.netns());
    }

    private InetAddress address(Family family, byte[] bytes) {
        try {
            if (family == Family.V4) {
                System.arraycopy(bytes, 0, ipv4, 0, 4);
                return InetAddress.getByAddress(ipv4);
            }
            return InetAddress.getByAddress(Arrays.copyOf(bytes, 16));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Registers a client; closed flows are buffered for it from now on. Registering twice is harmless. */
    public void registerClient(String id, boolean pinned, long nowNanos) {
        clients.computeIfAbsent(id, name -> new ClientState(name, pinned, nowNanos));
    }

    public void unregisterClient(String id) {
        clients.remove(id);
    }

    public boolean hasClient(String id) {
        return clients.containsKey(id);
    }

    /** Forgets clients (not pinned ones) that have not read for longer than the client expiry. */
    public void expireClients(long nowNanos) {
        long expiryNanos = config.clientExpiry().toNanos();
        int before = clients.size();
        clients.values().removeIf(c -> !c.pinned && nowNanos - c.lastPollNanos > expiryNanos);
        clientsExpired += before - clients.size();
    }

    /** Adds an interval's DNS statistics to every client's pending statistics. */
    public void addDnsStats(List<DnsStats> interval) {
        if (interval.isEmpty()) {
            return;
        }
        for (ClientState client : clients.values()) {
            for (DnsStats stats : interval) {
                DnsStats pending = client.dns.get(stats.key());
                if (pending != null) {
                    client.dns.put(stats.key(), pending.plus(stats));
                } else if (client.dns.size() < config.maxDnsStats()) {
                    client.dns.put(stats.key(), stats);
                } else {
                    dnsStatsDropped++;
                }
            }
        }
    }

    /** The DNS statistics pending for a client, which are then cleared. */
    public List<DnsStats> takeDnsStats(String clientId) {
        ClientState client = client(clientId);
        List<DnsStats> pending = List.copyOf(client.dns.values());
        client.dns.clear();
        return pending;
    }

    /** The telemetry since the client's previous call (counters as increases, gauges as values), given the totals. */
    public Telemetry telemetryDelta(String clientId, Telemetry totals) {
        ClientState client = client(clientId);
        Telemetry delta = TelemetryRegistry.delta(totals, client.telemetryAtLastPoll);
        client.telemetryAtLastPoll = totals;
        return delta;
    }

    /**
     * The connections that closed or have a non-zero delta for this client since its previous read, aggregated
     * by tuple and direction, and the client's state advanced past them.
     */
    public List<ConnectionStats> read(String clientId, long nowNanos) {
        return read(clientId, nowNanos, Enricher.NONE);
    }

    /** As {@link #read(String, long)}, each connection enriched with DNS names, tags and NAT. */
    public List<ConnectionStats> read(String clientId, long nowNanos, Enricher enricher) {
        aggregate(clientId, nowNanos, enricher);
        List<ConnectionStats> connections = new ArrayList<>(aggregates.size());
        for (int i = 0; i < aggregates.size(); i++) {
            connections.add(aggregates.get(i).toStats());
        }
        return connections;
    }

    /**
     * As {@link #read(String, long, Enricher)}, each connection handed to {@code visitor} through a
     * reused view instead of an immutable copy; allocates nothing per connection in steady state.
     */
    public void read(String clientId, long nowNanos, Enricher enricher, ConnectionVisitor visitor) {
        aggregate(clientId, nowNanos, enricher);
        for (int i = 0; i < aggregates.size(); i++) {
            visitor.visit(aggregates.get(i));
        }
    }

    private void aggregate(String clientId, long nowNanos, Enricher enricher) {
        ClientState client = client(clientId);
        client.lastPollNanos = nowNanos;
        long generation = ++client.pollGeneration;
        aggregates.clear();
        for (TrackedFlow flow : client.closed) {
            // A close is news even with nothing new to count (a UDP flow has no close counter).
            aggregates.aggregateFor(flow, enricher).add(flow, client.seen.remove(flow.serial));
        }
        client.clearClosed();
        active.forEach(flow -> {
            if (flow.excluded) {
                return;
            }
            SeenCounters seen = client.seen.get(flow.serial);
            if (seen == null) {
                if (client.seen.size() >= config.maxClientConnections()) {
                    clientStateDropped++;
                    return;
                }
                seen = new SeenCounters();
                client.seen.put(flow.serial, seen);
                if (!flow.hasNoCounts()) {
                    aggregates.aggregateFor(flow, enricher).add(flow, null);
                }
            } else if (!seen.coversAll(flow)) {
                aggregates.aggregateFor(flow, enricher).add(flow, seen);
            }
            seen.copyFrom(flow);
            seen.pollGeneration = generation;
        });
        client.seen.removeIf(seen -> seen.pollGeneration != generation);
        intraHost.mark(aggregates);
    }

    private ClientState client(String clientId) {
        ClientState client = clients.get(clientId);
        if (client == null) {
            throw new IllegalStateException("client '" + clientId + "' is not registered (or expired)");
        }
        return client;
    }

    /** Live flows currently tracked. */
    public int activeCount() {
        return active.size();
    }

    /** The engine's counters, as telemetry totals. */
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(MonitorCounters.EVENTS_APPLIED.name(), eventsApplied);
        counters.put(MonitorCounters.CONN_DROPPED.name(), connDropped);
        counters.put(MonitorCounters.CLOSED_CONN_DROPPED.name(), closedConnDropped);
        counters.put(MonitorCounters.CLIENT_STATE_DROPPED.name(), clientStateDropped);
        counters.put(MonitorCounters.CLIENT_DNS_STATS_DROPPED.name(), dnsStatsDropped);
        counters.put(MonitorCounters.CLIENTS_EXPIRED.name(), clientsExpired);
        counters.put(MonitorCounters.CONN_VANISHED.name(), connVanished);
        counters.put(MonitorCounters.FLOW_ID_COLLISIONS.name(), active.idCollisions());
        return counters;
    }

    /** Closed flows waiting for a client's next read. */
    public int pendingClosed(String clientId) {
        return client(clientId).closed.size();
    }

    List<String> clientIds() {
        return new ArrayList<>(clients.keySet());
    }
}
