package io.cnm4j.core.internal;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;

/** Builds connection events for 10.0.0.1:{localPort} -> 10.0.0.2:80 flows. */
final class TestEvents {
    private TestEvents() {
    }

    static ConnectionEvent tcp(long flowId, int localPort, long bytesSent, ConnectionEvent.Kind kind) {
        ConnectionEvent event = new ConnectionEvent()
                .kind(kind)
                .flowId(flowId)
                .cookie(flowId)
                .family(Family.V4)
                .protocol(Protocol.TCP)
                .localPort(localPort)
                .remotePort(80)
                .pid(42)
                .netns(4026531840L)
                .direction(Direction.OUTGOING)
                .bytesSent(bytesSent)
                .establishedAfterStart(true)
                .startEpochNanos(1_000_000_000L)
                .lastUpdateEpochNanos(2_000_000_000L);
        byte[] local = {10, 0, 0, 1};
        byte[] remote = {10, 0, 0, 2};
        System.arraycopy(local, 0, event.localAddress(), 0, 4);
        System.arraycopy(remote, 0, event.remoteAddress(), 0, 4);
        return event;
    }

    static ConnectionEvent open(long flowId, long bytesSent) {
        return tcp(flowId, 40000, bytesSent, ConnectionEvent.Kind.UPDATE);
    }

    static ConnectionEvent closed(long flowId, long bytesSent) {
        return tcp(flowId, 40000, bytesSent, ConnectionEvent.Kind.CLOSED);
    }
}
