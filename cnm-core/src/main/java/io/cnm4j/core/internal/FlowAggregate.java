package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.ConnectionView;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.NatTranslation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flows of one tuple and direction within one read: counters summed, RTT averaged over the flows
 * that have one, failures counted by errno, closed only when every flow is closed. One instance
 * serves every connection of every read ({@link #reset}), handed to visitors as their
 * {@link ConnectionView}: it is filled just before its visit, from the flows and the counters the
 * client was given before it, so nothing is kept per connection. DNS names, tags and NAT are looked
 * up through the {@link Enricher} only when asked for. Engine-confined.
 */
final class FlowAggregate implements ConnectionView {
    private ConnectionKey key;
    private Direction direction;
    private long cookie;
    private long totalBytesSent;
    private long totalBytesReceived;
    private long totalPacketsSent;
    private long totalPacketsReceived;
    private long totalRetransmits;
    private long totalTcpEstablished;
    private long totalTcpClosed;
    private long bytesSent;
    private long bytesReceived;
    private long packetsSent;
    private long packetsReceived;
    private long retransmits;
    private long tcpEstablished;
    private long tcpClosed;
    private long rttSum;
    private long rttVarSum;
    private int rttCount;
    private Map<Integer, Long> failures;
    private long startNanos;
    private long lastUpdateNanos;
    private boolean allClosed;
    private boolean intraHost;
    private String processName;
    private long cgroupId;
    private Enricher enricher;
    private List<String> dnsNames;
    private Map<String, String> tags;
    private NatTranslation nat;
    private boolean natLookedUp;

    /** Empties the aggregate for flows of {@code flow}'s tuple and direction, enriched by {@code with}. */
    void reset(TrackedFlow flow, Enricher with) {
        key = flow.key;
        direction = flow.direction();
        cookie = 0;
        totalBytesSent = totalBytesReceived = totalPacketsSent = totalPacketsReceived = 0;
        totalRetransmits = totalTcpEstablished = totalTcpClosed = 0;
        bytesSent = bytesReceived = packetsSent = packetsReceived = retransmits = tcpEstablished = tcpClosed = 0;
        rttSum = rttVarSum = 0;
        rttCount = 0;
        failures = null;
        startNanos = Long.MAX_VALUE;
        lastUpdateNanos = Long.MIN_VALUE;
        allClosed = true;
        intraHost = false;
        processName = "";
        cgroupId = 0;
        enricher = with;
        dnsNames = null;
        tags = null;
        nat = null;
        natLookedUp = false;
    }

    /** Adds a flow whose counters the client was given up to what {@code seen} holds for its slot. */
    void add(TrackedFlow flow, SeenTable seen) {
        if (flow.lastUpdateEpochNanos >= lastUpdateNanos) {
            cookie = flow.cookie;
        }
        totalBytesSent += flow.bytesSent;
        totalBytesReceived += flow.bytesReceived;
        totalPacketsSent += flow.packetsSent;
        totalPacketsReceived += flow.packetsReceived;
        totalRetransmits += flow.retransmits;
        totalTcpEstablished += flow.tcpEstablished();
        totalTcpClosed += flow.tcpClosed();
        int slot = flow.slot;
        // Clamped: a counter that went backwards yields no delta rather than a negative one.
        bytesSent += Math.max(0, flow.bytesSent - seen.bytesSent(slot));
        bytesReceived += Math.max(0, flow.bytesReceived - seen.bytesReceived(slot));
        packetsSent += Math.max(0, flow.packetsSent - seen.packetsSent(slot));
        packetsReceived += Math.max(0, flow.packetsReceived - seen.packetsReceived(slot));
        retransmits += Math.max(0, flow.retransmits - seen.retransmits(slot));
        tcpEstablished += Math.max(0, flow.tcpEstablished() - seen.tcpEstablished(slot));
        // A client is given a flow's close once, with the flow: it never holds a close counter.
        tcpClosed += flow.tcpClosed();
        if (flow.rttMicros() != 0) {
            rttSum += flow.rttMicros();
            rttVarSum += flow.rttVarMicros();
            rttCount++;
        }
        if (flow.closed() && flow.failureErrno() != 0) {
            if (failures == null) {
                failures = new TreeMap<>();
            }
            failures.merge(flow.failureErrno(), 1L, Long::sum);
        }
        startNanos = Math.min(startNanos, flow.startEpochNanos);
        lastUpdateNanos = Math.max(lastUpdateNanos, flow.lastUpdateEpochNanos);
        allClosed &= flow.closed();
        if (processName.isEmpty()) {
            processName = flow.processName();
        }
        if (cgroupId == 0) {
            cgroupId = flow.cgroupId;
        }
    }

    void markIntraHost() {
        intraHost = true;
    }

    @Override
    public ConnectionKey key() {
        return key;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public long cookie() {
        return cookie;
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public long bytesReceived() {
        return bytesReceived;
    }

    @Override
    public long packetsSent() {
        return packetsSent;
    }

    @Override
    public long packetsReceived() {
        return packetsReceived;
    }

    @Override
    public long retransmits() {
        return retransmits;
    }

    @Override
    public long tcpEstablished() {
        return tcpEstablished;
    }

    @Override
    public long tcpClosed() {
        return tcpClosed;
    }

    @Override
    public long totalBytesSent() {
        return totalBytesSent;
    }

    @Override
    public long totalBytesReceived() {
        return totalBytesReceived;
    }

    @Override
    public long totalPacketsSent() {
        return totalPacketsSent;
    }

    @Override
    public long totalPacketsReceived() {
        return totalPacketsReceived;
    }

    @Override
    public long totalRetransmits() {
        return totalRetransmits;
    }

    @Override
    public long rttMicros() {
        return rttCount == 0 ? 0 : rttSum / rttCount;
    }

    @Override
    public long rttVarMicros() {
        return rttCount == 0 ? 0 : rttVarSum / rttCount;
    }

    @Override
    public Map<Integer, Long> tcpFailures() {
        return failures == null ? Map.of() : failures;
    }

    @Override
    public long startEpochNanos() {
        return startNanos;
    }

    @Override
    public long lastUpdateEpochNanos() {
        return Math.max(startNanos, lastUpdateNanos);
    }

    @Override
    public boolean closed() {
        return allClosed;
    }

    @Override
    public boolean intraHost() {
        return intraHost;
    }

    @Override
    public List<String> dnsNames() {
        if (dnsNames == null) {
            dnsNames = enricher.dnsNames(key);
        }
        return dnsNames;
    }

    @Override
    public Map<String, String> tags() {
        if (tags == null) {
            tags = enricher.tags(key, direction, processName, cgroupId, dnsNames());
        }
        return tags;
    }

    @Override
    public NatTranslation nat() {
        if (!natLookedUp) {
            nat = enricher.nat(key);
            natLookedUp = true;
        }
        return nat;
    }

    @Override
    public ConnectionStats toStats() {
        return new ConnectionStats(key, direction, cookie,
                new Counters(totalBytesSent, totalBytesReceived, totalPacketsSent, totalPacketsReceived,
                        totalRetransmits, totalTcpEstablished, totalTcpClosed),
                new Counters(bytesSent, bytesReceived, packetsSent, packetsReceived, retransmits, tcpEstablished,
                        tcpClosed),
                rttMicros(), rttVarMicros(), tcpFailures(), instant(startNanos), instant(lastUpdateEpochNanos()),
                allClosed, intraHost, nat(), dnsNames(), tags());
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
