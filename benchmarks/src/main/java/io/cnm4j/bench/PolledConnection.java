package io.cnm4j.bench;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.ConnectionView;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.NatTranslation;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A connection as {@code FlowClient.poll(ConnectionVisitor)} hands it to {@code cnm watch --json}:
 * counters read from fields, failures in a {@link TreeMap} by errno and tags in a {@link HashMap},
 * as the monitor's read and its taggers build them (a {@link ConnectionStats} holds immutable copies instead).
 */
final class PolledConnection implements ConnectionView {
    private final ConnectionKey key;
    private final Direction direction;
    private final long cookie;
    private final Counters total;
    private final Counters last;
    private final long rttMicros;
    private final long rttVarMicros;
    private final Map<Integer, Long> tcpFailures;
    private final long startEpochNanos;
    private final long lastUpdateEpochNanos;
    private final boolean closed;
    private final boolean intraHost;
    private final NatTranslation nat;
    private final List<String> dnsNames;
    private final Map<String, String> tags;

    /** The view of {@code c}, with its failures and tags in the poll's own map types. */
    PolledConnection(ConnectionStats c) {
        key = c.key();
        direction = c.direction();
        cookie = c.cookie();
        total = c.total();
        last = c.last();
        rttMicros = c.rttMicros();
        rttVarMicros = c.rttVarMicros();
        tcpFailures = new TreeMap<>(c.tcpFailures());
        startEpochNanos = c.startEpochNanos();
        lastUpdateEpochNanos = c.lastUpdateEpochNanos();
        closed = c.closed();
        intraHost = c.intraHost();
        nat = c.nat();
        dnsNames = c.dnsNames();
        tags = new HashMap<>(c.tags());
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
        return last.bytesSent();
    }

    @Override
    public long bytesReceived() {
        return last.bytesReceived();
    }

    @Override
    public long packetsSent() {
        return last.packetsSent();
    }

    @Override
    public long packetsReceived() {
        return last.packetsReceived();
    }

    @Override
    public long retransmits() {
        return last.retransmits();
    }

    @Override
    public long tcpEstablished() {
        return last.tcpEstablished();
    }

    @Override
    public long tcpClosed() {
        return last.tcpClosed();
    }

    @Override
    public long totalBytesSent() {
        return total.bytesSent();
    }

    @Override
    public long totalBytesReceived() {
        return total.bytesReceived();
    }

    @Override
    public long totalPacketsSent() {
        return total.packetsSent();
    }

    @Override
    public long totalPacketsReceived() {
        return total.packetsReceived();
    }

    @Override
    public long totalRetransmits() {
        return total.retransmits();
    }

    @Override
    public long rttMicros() {
        return rttMicros;
    }

    @Override
    public long rttVarMicros() {
        return rttVarMicros;
    }

    @Override
    public Map<Integer, Long> tcpFailures() {
        return tcpFailures;
    }

    @Override
    public long startEpochNanos() {
        return startEpochNanos;
    }

    @Override
    public long lastUpdateEpochNanos() {
        return lastUpdateEpochNanos;
    }

    @Override
    public boolean closed() {
        return closed;
    }

    @Override
    public boolean intraHost() {
        return intraHost;
    }

    @Override
    public List<String> dnsNames() {
        return dnsNames;
    }

    @Override
    public Map<String, String> tags() {
        return tags;
    }

    @Override
    public NatTranslation nat() {
        return nat;
    }

    @Override
    public ConnectionStats toStats() {
        return new ConnectionStats(key, direction, cookie, total, last, rttMicros, rttVarMicros, tcpFailures,
                Instant.ofEpochSecond(0, startEpochNanos), Instant.ofEpochSecond(0, lastUpdateEpochNanos), closed,
                intraHost, nat, dnsNames, tags);
    }
}
