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
import java.util.ArrayList;
import java.util.Iterator;
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
 * <p>Memory per live flow is kept small: the flow's state, its key, and per client the counters it
 * was given, in primitive arrays by the flow's slot. A read keeps nothing per connection: it groups
 * the flows with news, then fills one reused view per group just before its visit and records
 * what the client was given right after it.
 *
 * <p>Not thread-safe: the monitor calls it under one lock.
 */
public final class ConnectionStateEngine {
    private final MonitorConfig config;
    private final ConnectionFilter filter;
    private final boolean[] trackedErrnos = new boolean[256];
    private final LiveFlowTable active;
    private final Map<String, ClientState> clients = new LinkedHashMap<>();
    private final KeyAccess keys = KeyAccess.get();
    private final ProcessNames processNames = new ProcessNames();
    private final FlowSlots slots = new FlowSlots();
    private final ReadGroups groups = new ReadGroups();
    private final IntraHostMarker intraHost = new IntraHostMarker();
    private final FlowAggregate view = new FlowAggregate();
    private long eventsApplied;
    private long connDropped;
    private long closedConnDropped;
    private long clientStateDropped;
    private long dnsStatsDropped;
    private long clientsExpired;
    private long connVanished;
    private long refreshNanos;

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
            ConnectionKey key = keys.create(event.family(), event.protocol(), event.localAddress(), event.localPort(),
                    event.remoteAddress(), event.remotePort(), event.pid(), event.netns());
            flow = new TrackedFlow(event, key, !accepts(key));
            if (!closing) {
                if (!flow.excluded()) {
                    flow.slot = slots.take();
                }
                active.add(flow);
            }
        } else if (closing) {
            active.remove(flow);
        }
        flow.absorb(event, processNames);
        if (closing) {
            int errno = event.failureErrno();
            close(flow, errno > 0 && errno < trackedErrnos.length && trackedErrnos[errno] ? errno : 0);
        } else {
            flow.lastRefreshNanos = refreshNanos;
        }
    }

    private void close(TrackedFlow flow, int errno) {
        flow.close(errno);
        if (!flow.excluded()) {
            for (ClientState client : clients.values()) {
                TrackedFlow left = client.bufferClosed(flow, config.closedBufferSize());
                if (left != flow) {
                    flow.pendingReads++;
                }
                if (left != null) {
                    closedConnDropped++;
                    if (left != flow) {
                        doneWithClosed(left);
                    }
                }
            }
        }
        releaseIfUnused(flow);
    }

    /** One client will not ask about a closed flow it buffered any more. */
    private void doneWithClosed(TrackedFlow flow) {
        flow.pendingReads--;
        releaseIfUnused(flow);
    }

    /** Gives back the slot of a closed flow that no client's buffer holds. */
    private void releaseIfUnused(TrackedFlow flow) {
        if (flow.slot >= 0 && flow.pendingReads == 0) {
            for (ClientState client : clients.values()) {
                client.seen.forget(flow.slot);
            }
            slots.release(flow.slot);
            flow.slot = -1;
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
        for (int i = 0; i < active.capacity(); i++) {
            TrackedFlow flow = active.at(i);
            if (flow != null && nowNanos - flow.lastRefreshNanos > graceNanos) {
                vanished.add(flow);
            }
        }
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

    /** Registers a client; closed flows are buffered for it from now on. Registering twice is harmless. */
    public void registerClient(String id, boolean pinned, long nowNanos) {
        clients.computeIfAbsent(id, name -> new ClientState(name, pinned, nowNanos));
    }

    public void unregisterClient(String id) {
        ClientState client = clients.remove(id);
        if (client != null) {
            forgetBuffered(client);
        }
    }

    private void forgetBuffered(ClientState client) {
        for (TrackedFlow flow : client.closed) {
            doneWithClosed(flow);
        }
        client.clearClosed();
    }

    public boolean hasClient(String id) {
        return clients.containsKey(id);
    }

    /** Forgets clients (not pinned ones) that have not read for longer than the client expiry. */
    public void expireClients(long nowNanos) {
        long expiryNanos = config.clientExpiry().toNanos();
        for (Iterator<ClientState> it = clients.values().iterator(); it.hasNext(); ) {
            ClientState client = it.next();
            if (!client.pinned && nowNanos - client.lastPollNanos > expiryNanos) {
                it.remove();
                forgetBuffered(client);
                clientsExpired++;
            }
        }
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
        ClientState client = select(clientId, nowNanos);
        List<ConnectionStats> connections = new ArrayList<>(groups.size());
        visit(client, enricher, connection -> connections.add(connection.toStats()));
        return connections;
    }

    /**
     * As {@link #read(String, long, Enricher)}, each connection handed to {@code visitor} through a
     * reused view instead of an immutable copy; allocates nothing per connection in steady state.
     */
    public void read(String clientId, long nowNanos, Enricher enricher, ConnectionVisitor visitor) {
        visit(select(clientId, nowNanos), enricher, visitor);
    }

    /** Groups the flows with news for the client: every closed flow it buffered, and live flows that moved. */
    private ClientState select(String clientId, long nowNanos) {
        ClientState client = client(clientId);
        client.lastPollNanos = nowNanos;
        for (TrackedFlow flow : client.closed) {
            // A close is news even with nothing new to count (a UDP flow has no close counter).
            groups.add(flow);
        }
        SeenTable seen = client.seen;
        for (int i = 0; i < active.capacity(); i++) {
            TrackedFlow flow = active.at(i);
            if (flow == null || flow.excluded()) {
                continue;
            }
            if (!seen.has(flow.slot)) {
                if (seen.size() >= config.maxClientConnections()) {
                    clientStateDropped++;
                    continue;
                }
                seen.track(flow.slot);
                if (!flow.hasNoCounts()) {
                    groups.add(flow);
                }
            } else if (!seen.coversAll(flow)) {
                groups.add(flow);
            }
        }
        groups.seal();
        intraHost.mark(groups);
        return client;
    }

    /**
     * Visits each group through the view, then records what the client was given of its flows.
     * When the visitor throws, the client is still moved past every group of the read.
     */
    private void visit(ClientState client, Enricher enricher, ConnectionVisitor visitor) {
        int group = 0;
        int extra = 0;
        try {
            for (; group < groups.size(); group++) {
                TrackedFlow head = groups.head(group);
                view.reset(head, enricher);
                view.add(head, client.seen);
                for (int n = extra; n < groups.extraCount() && groups.extraGroup(n) == group; n++) {
                    view.add(groups.extra(n), client.seen);
                }
                if (intraHost.isMarked(group)) {
                    view.markIntraHost();
                }
                visitor.visit(view);
                extra = given(client, group, extra);
            }
        } finally {
            for (; group < groups.size(); group++) {
                extra = given(client, group, extra);
            }
            client.clearClosed();
            groups.clear();
        }
    }

    /** Records that the client was given the group's flows; returns the index of the next group's further flows. */
    private int given(ClientState client, int group, int extra) {
        given(client, groups.head(group));
        while (extra < groups.extraCount() && groups.extraGroup(extra) == group) {
            given(client, groups.extra(extra++));
        }
        return extra;
    }

    private void given(ClientState client, TrackedFlow flow) {
        if (flow.closed()) {
            client.seen.forget(flow.slot);
            doneWithClosed(flow);
        } else {
            client.seen.give(flow);
        }
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
