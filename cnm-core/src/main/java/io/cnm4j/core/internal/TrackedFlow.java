package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import java.nio.charset.StandardCharsets;

/**
 * The engine's state of one flow (one socket, or one peer of an unconnected UDP socket).
 * Mutable while live; never modified once closed, so closed flows can be shared by every
 * client's closed buffer. Confined to the engine's lock.
 */
final class TrackedFlow {
    /** The backend's id; not unique (see {@link LiveFlowTable}). */
    final long flowId;
    /** Unique among the engine's flows: what each client's delta state is keyed by. */
    final long serial;
    /** Identity beyond the id: what an event must repeat to be absorbed into this flow. */
    private final long identityCookie;
    private final Protocol protocol;
    private final Family family;
    private final int localPort;
    private final int remotePort;
    private final long remoteHigh;
    private final long remoteLow;
    /** The next live flow with the same {@link #flowId}; kept by {@link LiveFlowTable}. */
    TrackedFlow sameId;
    /** Not final: a flow first seen before any process context (pid 0) learns its pid later. */
    ConnectionKey key;
    final boolean excluded;
    Direction direction;
    long cookie;
    long bytesSent;
    long bytesReceived;
    long packetsSent;
    long packetsReceived;
    long retransmits;
    long tcpEstablished;
    long tcpClosed;
    long rttMicros;
    long rttVarMicros;
    int failureErrno;
    long startEpochNanos;
    long lastUpdateEpochNanos;
    boolean closed;
    /** When a full read of the backend's live flows last included this flow (System.nanoTime). */
    long lastRefreshNanos;
    /** The kernel's process name, taken when the flow is first attributed to a process. */
    private final byte[] comm = new byte[ConnectionEvent.COMM_CAPACITY];
    private int commLength;
    private String processName;
    long cgroupId;

    TrackedFlow(ConnectionEvent first, long serial, ConnectionKey key, boolean excluded) {
        this.flowId = first.flowId();
        this.serial = serial;
        this.identityCookie = first.cookie();
        this.protocol = first.protocol();
        this.family = first.family();
        this.localPort = first.localPort();
        this.remotePort = first.remotePort();
        this.remoteHigh = addressHigh(first.family(), first.remoteAddress());
        this.remoteLow = addressLow(first.family(), first.remoteAddress());
        this.key = key;
        this.excluded = excluded;
    }

    /**
     * True when the event describes this flow: same cookie, protocol, family, ports and remote
     * address. The local address and pid are left out: an unconnected UDP socket may send from
     * several local addresses, and a pid is learned late.
     */
    boolean isSameFlow(ConnectionEvent event) {
        return event.cookie() == identityCookie && event.remotePort() == remotePort
                && event.localPort() == localPort && event.protocol() == protocol && event.family() == family
                && addressLow(family, event.remoteAddress()) == remoteLow
                && addressHigh(family, event.remoteAddress()) == remoteHigh;
    }

    private static long addressHigh(Family family, byte[] address) {
        return family == Family.V4 ? 0 : bigEndian(address, 0, 8);
    }

    private static long addressLow(Family family, byte[] address) {
        // An IPv4 event fills only the first 4 bytes; the rest may be stale.
        return family == Family.V4 ? bigEndian(address, 0, 4) : bigEndian(address, 8, 8);
    }

    private static long bigEndian(byte[] bytes, int offset, int length) {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            value = value << 8 | (bytes[i] & 0xFF);
        }
        return value;
    }

    /**
     * Takes the event's values. Counters only grow: an event carrying a smaller value than one
     * already seen (reordered or reset) does not move them back.
     */
    void absorb(ConnectionEvent event) {
        if (key.pid() == 0 && event.pid() != 0) {
            key = new ConnectionKey(key.family(), key.protocol(), key.localAddress(), key.localPort(),
                    key.remoteAddress(), key.remotePort(), event.pid(), key.netns());
        }
        if (commLength == 0 && event.commLength() > 0) {
            System.arraycopy(event.commBytes(), 0, comm, 0, event.commLength());
            commLength = event.commLength();
        }
        if (cgroupId == 0) {
            cgroupId = event.cgroupId();
        }
        direction = event.direction() == Direction.NONE && direction != null ? direction : event.direction();
        cookie = event.cookie();
        bytesSent = Math.max(bytesSent, event.bytesSent());
        bytesReceived = Math.max(bytesReceived, event.bytesReceived());
        packetsSent = Math.max(packetsSent, event.packetsSent());
        packetsReceived = Math.max(packetsReceived, event.packetsReceived());
        retransmits = Math.max(retransmits, event.retransmits());
        if (key.protocol() == Protocol.TCP && event.establishedAfterStart()) {
            tcpEstablished = 1;
        }
        // Without an RTT sample the kernel still reports its initial variance: keep the last real one.
        if (event.rttMicros() != 0) {
            rttMicros = event.rttMicros();
            rttVarMicros = event.rttVarMicros();
        }
        if (startEpochNanos == 0 || (event.startEpochNanos() != 0 && event.startEpochNanos() < startEpochNanos)) {
            startEpochNanos = event.startEpochNanos();
        }
        lastUpdateEpochNanos = Math.max(lastUpdateEpochNanos, event.lastUpdateEpochNanos());
    }

    void close(int errno) {
        closed = true;
        failureErrno = errno;
        if (key.protocol() == Protocol.TCP) {
            tcpClosed = 1;
        }
    }

    /**
     * A keyed hash of what a read groups flows by (tuple, process, namespace, direction), the local
     * address left out: it is compared on lookup. Allocates nothing.
     */
    long aggregationHash() {
        return KeyedHash.PROCESS.hash(remoteHigh, remoteLow,
                (long) key.pid() << 32 | (long) localPort << 16 | remotePort,
                key.netns() ^ (long) (direction == null ? 0 : direction.ordinal() + 1) << 60 ^ protocol.ordinal());
    }

    /** True when every counter is zero. */
    boolean hasNoCounts() {
        return bytesSent == 0 && bytesReceived == 0 && packetsSent == 0 && packetsReceived == 0 && retransmits == 0
                && tcpEstablished == 0 && tcpClosed == 0;
    }

    /** The process name as text, decoded once per flow; "" when the kernel gave none. */
    String processName() {
        if (processName == null) {
            processName = commLength == 0 ? "" : new String(comm, 0, commLength, StandardCharsets.UTF_8);
        }
        return processName;
    }
}
