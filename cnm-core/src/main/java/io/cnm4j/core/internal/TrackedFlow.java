package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.internal.KeyAccess.End;
import io.cnm4j.core.spi.ConnectionEvent;

/**
 * The engine's state of one flow (one socket, or one peer of an unconnected UDP socket).
 * Mutable while live; never modified once closed, so closed flows can be shared by every
 * client's closed buffer. Fields are kept narrow: the engine holds one per live flow.
 * Confined to the engine's lock.
 */
final class TrackedFlow {
    private static final KeyAccess KEYS = KeyAccess.get();
    private static final Direction[] DIRECTIONS = Direction.values();
    private static final byte EXCLUDED = 1;
    private static final byte ESTABLISHED = 2;
    private static final byte CLOSED = 4;

    /** The backend's id; not unique (see {@link LiveFlowTable}). */
    final long flowId;
    /** The socket cookie: with the key's tuple, what an event must repeat to be absorbed into this flow. */
    final long cookie;
    /** Not final: a flow first seen before any process context (pid 0) learns its pid later. */
    ConnectionKey key;
    /** {@link #EXCLUDED}, {@link #ESTABLISHED}, {@link #CLOSED}: one byte, as the engine holds many flows. */
    private byte flags;
    private byte direction = (byte) Direction.NONE.ordinal();
    /** The errno a closed flow failed with (tracked ones are below 256), unsigned. */
    private byte failureErrno;
    long bytesSent;
    long bytesReceived;
    long packetsSent;
    long packetsReceived;
    long retransmits;
    /** Microseconds; the kernel's are 32-bit, larger values are held at {@link Integer#MAX_VALUE}. */
    private int rttMicros;
    private int rttVarMicros;
    long startEpochNanos;
    long lastUpdateEpochNanos;
    /** When a full read of the backend's live flows last included this flow (System.nanoTime). */
    long lastRefreshNanos;
    long cgroupId;
    /** The kernel's process name, taken when the flow is first attributed to a process; null when none. */
    private String processName;
    /** Where every client keeps the counters it was given of this flow ({@link FlowSlots}); -1 when nowhere. */
    int slot = -1;
    /** Closed buffers of clients holding this closed flow until their next read. */
    int pendingReads;

    TrackedFlow(ConnectionEvent first, ConnectionKey key, boolean excluded) {
        this.flowId = first.flowId();
        this.cookie = first.cookie();
        this.key = key;
        this.flags = excluded ? EXCLUDED : 0;
    }

    /**
     * True when the event describes this flow: same cookie, protocol, family, ports and remote
     * address. The local address and pid are left out: an unconnected UDP socket may send from
     * several local addresses, and a pid is learned late.
     */
    boolean isSameFlow(ConnectionEvent event) {
        return event.cookie() == cookie && event.remotePort() == key.remotePort()
                && event.localPort() == key.localPort() && event.protocol() == key.protocol()
                && event.family() == key.family() && KEYS.remoteIs(key, event.family(), event.remoteAddress());
    }

    /**
     * Takes the event's values. Counters only grow: an event carrying a smaller value than one
     * already seen (reordered or reset) does not move them back.
     */
    void absorb(ConnectionEvent event, ProcessNames names) {
        if (key.pid() == 0 && event.pid() != 0) {
            key = KEYS.withPid(key, event.pid());
        }
        if (processName == null && event.commLength() > 0) {
            processName = names.of(event.commBytes(), event.commLength());
        }
        if (cgroupId == 0) {
            cgroupId = event.cgroupId();
        }
        if (event.direction() != Direction.NONE) {
            direction = (byte) event.direction().ordinal();
        }
        bytesSent = Math.max(bytesSent, event.bytesSent());
        bytesReceived = Math.max(bytesReceived, event.bytesReceived());
        packetsSent = Math.max(packetsSent, event.packetsSent());
        packetsReceived = Math.max(packetsReceived, event.packetsReceived());
        retransmits = Math.max(retransmits, event.retransmits());
        if (key.protocol() == Protocol.TCP && event.establishedAfterStart()) {
            flags |= ESTABLISHED;
        }
        // Without an RTT sample the kernel still reports its initial variance: keep the last real one.
        if (event.rttMicros() != 0) {
            rttMicros = narrow(event.rttMicros());
            rttVarMicros = narrow(event.rttVarMicros());
        }
        if (startEpochNanos == 0 || (event.startEpochNanos() != 0 && event.startEpochNanos() < startEpochNanos)) {
            startEpochNanos = event.startEpochNanos();
        }
        lastUpdateEpochNanos = Math.max(lastUpdateEpochNanos, event.lastUpdateEpochNanos());
    }

    private static int narrow(long micros) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, micros));
    }

    void close(int errno) {
        flags |= CLOSED;
        failureErrno = (byte) errno;
    }

    /** True when the flow matches an exclusion or a protocol or family not collected: never reported. */
    boolean excluded() {
        return (flags & EXCLUDED) != 0;
    }

    boolean closed() {
        return (flags & CLOSED) != 0;
    }

    Direction direction() {
        return DIRECTIONS[direction];
    }

    long tcpEstablished() {
        return (flags & ESTABLISHED) != 0 ? 1 : 0;
    }

    long tcpClosed() {
        return closed() && key.protocol() == Protocol.TCP ? 1 : 0;
    }

    long rttMicros() {
        return rttMicros;
    }

    long rttVarMicros() {
        return rttVarMicros;
    }

    /** The errno a closed flow failed with, or 0. */
    int failureErrno() {
        return failureErrno & 0xFF;
    }

    /**
     * A keyed hash of what a read groups flows by (tuple, process, namespace, direction), the local
     * address left out: it is compared on lookup. Allocates nothing.
     */
    long aggregationHash() {
        return KeyedHash.PROCESS.hash(KEYS.high(key, End.REMOTE), KEYS.low(key, End.REMOTE),
                (long) key.pid() << 32 | (long) key.localPort() << 16 | key.remotePort(),
                key.netns() ^ (long) (direction + 1) << 60 ^ key.protocol().ordinal());
    }

    /** True when every counter is zero. */
    boolean hasNoCounts() {
        return bytesSent == 0 && bytesReceived == 0 && packetsSent == 0 && packetsReceived == 0 && retransmits == 0
                && tcpEstablished() == 0 && tcpClosed() == 0;
    }

    /** The process name; "" when the kernel gave none. */
    String processName() {
        return processName == null ? "" : processName;
    }
}
