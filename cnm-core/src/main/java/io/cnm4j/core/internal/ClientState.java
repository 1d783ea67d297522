package io.cnm4j.core.internal;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Telemetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one consumer has been given so far: the counters it saw per live flow, the closed flows
 * and DNS statistics waiting for its next read, and the telemetry totals at its last read.
 * Engine-confined.
 */
final class ClientState {
    final String id;
    final boolean pinned;
    /** By {@link TrackedFlow#serial}, never by the backend's id, which two flows may share. */
    final LongObjectMap<SeenCounters> seen = new LongObjectMap<>(64);
    final List<TrackedFlow> closed = new ArrayList<>();
    /** Indexes of buffered closed flows that carry no traffic new to this client. */
    private final java.util.ArrayDeque<Integer> emptySlots = new java.util.ArrayDeque<>();
    final Map<DnsStatsKey, DnsStats> dns = new LinkedHashMap<>();
    Telemetry telemetryAtLastPoll = Telemetry.empty();
    long lastPollNanos;
    long pollGeneration;

    ClientState(String id, boolean pinned, long nowNanos) {
        this.id = id;
        this.pinned = pinned;
        this.lastPollNanos = nowNanos;
    }

    /** True when the closed flow carries no traffic this client has not seen already. */
    boolean isEmptyForMe(TrackedFlow flow) {
        SeenCounters counters = seen.get(flow.serial);
        if (counters == null) {
            return flow.bytesSent == 0 && flow.bytesReceived == 0 && flow.packetsSent == 0
                    && flow.packetsReceived == 0;
        }
        return counters.coversTraffic(flow);
    }

    /**
     * Buffers a closed flow. When the buffer is full, a flow without new traffic makes room
     * first (the incoming one, or one already buffered); returns false when something was dropped.
     * Whether a buffered flow is empty cannot change before this client's next read (which empties
     * the buffer), so empty slots are remembered at insertion and found in constant time.
     */
    boolean bufferClosed(TrackedFlow flow, int capacity) {
        boolean empty = isEmptyForMe(flow);
        if (closed.size() < capacity) {
            if (empty) {
                emptySlots.push(closed.size());
            }
            closed.add(flow);
            return true;
        }
        if (empty || emptySlots.isEmpty()) {
            forgetSeen(flow);
            return false;
        }
        int slot = emptySlots.pop();
        forgetSeen(closed.get(slot));
        closed.set(slot, flow);
        return false;
    }

    /** Empties the closed buffer after a read. */
    void clearClosed() {
        closed.clear();
        emptySlots.clear();
    }

    private void forgetSeen(TrackedFlow flow) {
        seen.remove(flow.serial);
    }
}
