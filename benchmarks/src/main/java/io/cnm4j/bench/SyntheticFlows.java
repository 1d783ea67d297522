package io.cnm4j.bench;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.core.spi.ConnectionEvent;

/**
 * Fills {@link ConnectionEvent}s the way a backend's decoder does, for synthetic flows numbered
 * 0, 1, 2…: flow {@code n} has id {@code FIRST_FLOW_ID + n} and its own tuple (IPv4 TCP from
 * 10.0.0.1 to 10.x.y.z:443), so that no two flows aggregate into one connection. Counters are
 * derived from a caller-supplied {@code tick} that only grows, so every event moves them forward.
 * Allocates nothing. Stateless; safe from any thread for distinct events.
 */
final class SyntheticFlows {
    /** Socket cookies look like this: large, dense, increasing. */
    static final long FIRST_FLOW_ID = 0x1_0000_0000L;

    private SyntheticFlows() {
    }

    /** Writes every field of {@code event} for flow {@code n} at time {@code tick}. */
    static ConnectionEvent fill(ConnectionEvent event, ConnectionEvent.Kind kind, long n, long tick) {
        byte[] local = event.localAddress();
        local[0] = 10;
        local[1] = 0;
        local[2] = 0;
        local[3] = 1;
        byte[] remote = event.remoteAddress();
        remote[0] = 10;
        remote[1] = (byte) (1 + (n >>> 16) % 250);
        remote[2] = (byte) (n >>> 8);
        remote[3] = (byte) n;
        return event.kind(kind)
                .flowId(FIRST_FLOW_ID + n)
                .cookie(FIRST_FLOW_ID + n)
                .family(Family.V4)
                .protocol(Protocol.TCP)
                .localPort(32768 + (int) (n % 28232))
                .remotePort(443)
                .pid(1000 + (int) (n & 0xFF))
                .netns(4026531840L)
                .direction(Direction.OUTGOING)
                .bytesSent(tick * 1460)
                .bytesReceived(tick * 2920)
                .packetsSent(tick)
                .packetsReceived(tick * 2)
                .retransmits(tick >>> 10)
                .establishedAfterStart(true)
                .rttMicros(250 + (tick & 0x3F))
                .rttVarMicros(40)
                .startEpochNanos(1_700_000_000_000_000_000L)
                .lastUpdateEpochNanos(1_700_000_000_000_000_000L + tick);
    }

    /**
     * A state engine with room for twice {@code flows} (live, closed and per-client), with one
     * pinned reader {@code client} registered, as a monitor with one consumer has.
     */
    static ConnectionStateEngine engineWithReader(int flows, String client) {
        int capacity = 2 * flows;
        ConnectionStateEngine engine = new ConnectionStateEngine(MonitorConfig.builder()
                .maxTrackedConnections(capacity)
                .closedBufferSize(capacity)
                .maxClientConnections(capacity)
                .build());
        engine.registerClient(client, true, System.nanoTime());
        return engine;
    }

    /**
     * One interval between two reads: flows {@code 0 … active-1} move (UPDATE), flows
     * {@code active … active+closed-1} open and close (CLOSED). Closed flows never join the live
     * set, so their numbers can be the same every interval.
     */
    static void applyInterval(ConnectionStateEngine engine, ConnectionEvent event, int active, int closed, long tick) {
        for (int n = 0; n < active; n++) {
            engine.apply(fill(event, ConnectionEvent.Kind.UPDATE, n, tick));
        }
        for (int n = active; n < active + closed; n++) {
            engine.apply(fill(event, ConnectionEvent.Kind.CLOSED, n, tick));
        }
    }
}
