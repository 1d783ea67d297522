package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import java.nio.charset.StandardCharsets;

/**
 * The engine's state of one flow (one socket, or one peer of an unconnected UDP socket).
 * Mutable while live; never modified once closed, so closed flows can be shared by every
 * client's closed buffer. Confined to the engine's lock.
 */
final class TrackedFlow {
    final long flowId;
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

    TrackedFlow(long flowId, ConnectionKey key, boolean excluded) {
        this.flowId = flowId;
        this.key = key;
        this.excluded = excluded;
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

    Counters counters() {
        return new Counters(bytesSent, bytesReceived, packetsSent, packetsReceived, retransmits, tcpEstablished,
                tcpClosed);
    }

    /** The process name as text, decoded once per flow; "" when the kernel gave none. */
    String processName() {
        if (processName == null) {
            processName = commLength == 0 ? "" : new String(comm, 0, commLength, StandardCharsets.UTF_8);
        }
        return processName;
    }
}
