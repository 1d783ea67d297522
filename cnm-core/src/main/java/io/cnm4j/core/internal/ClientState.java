package io.cnm4j.core.internal;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Telemetry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one consumer has been given so far: the counters it saw per flow, the closed flows
 * and DNS statistics waiting for its next read, and the telemetry totals at its last read.
 * Engine-confined.
 */
final class ClientState {
    final String id;
    final boolean pinned;
    /** By {@link TrackedFlow#slot}, never by the backend's id, which two flows may share. */
    final SeenTable seen = new SeenTable();
    final List<TrackedFlow> closed = new ArrayList<>();
    /** Indexes of buffered closed flows that carry no traffic new to this client. */
    private final ArrayDeque<Integer> emptySlots = new ArrayDeque<>();
    final Map<DnsStatsKey, DnsStats> dns = new LinkedHashMap<>();
    Telemetry telemetryAtLastPoll = Telemetry.empty();
    long lastPollNanos;

    ClientState(String id, boolean pinned, long nowNanos) {
        this.id = id;
        this.pinned = pinned;
        this.lastPollNanos = nowNanos;
    }

    /**
     * Buffers a closed flow. When the buffer is full, a flow without new traffic makes room
     * first (the incoming one, or one already buffered). Returns the flow left out of the buffer
     * (the incoming one or the one it replaced, its counters forgotten), or null when nothing was.
     * Whether a buffered flow is empty cannot change before this client's next read (which empties
     * the buffer), so empty slots are remembered at insertion and found in constant time.
     */
    TrackedFlow bufferClosed(TrackedFlow flow, int capacity) {
        boolean empty = seen.coversTraffic(flow);
        if (closed.size() < capacity) {
            if (empty) {
                emptySlots.push(closed.size());
            }
            closed.add(flow);
            return null;
        }
        if (empty || emptySlots.isEmpty()) {
            seen.forget(flow.slot);
            return flow;
        }
        int slot = emptySlots.pop();
        TrackedFlow replaced = closed.set(slot, flow);
        seen.forget(replaced.slot);
        return replaced;
    }

    /** Empties the closed buffer after a read. */
    void clearClosed() {
        closed.clear();
        emptySlots.clear();
    }
}
