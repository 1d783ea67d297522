package io.cnm4j.core;

import java.util.List;
import java.util.Map;

/**
 * Receives one {@link FlowSnapshot} per interval (push). Each listener is called from its own
 * thread, one snapshot at a time, so a slow or failing listener neither delays nor stops the
 * others. While a listener is still busy, the intervals it misses are not lost: their deltas
 * are folded into its next snapshot (and counted as {@code listener_skipped_intervals}). A
 * listener that throws is counted in {@code listener_failures} and keeps receiving snapshots.
 *
 * <p>A listener that can itself lose data (an exporter whose destination is down) reports its own
 * loss counters through {@link #telemetry()}; they travel in the {@link Telemetry} of every
 * consumer's next snapshot like the monitor's own counters.
 */
@FunctionalInterface
public interface FlowListener {
    /**
     * Receives one interval's snapshot, on this listener's own thread.
     *
     * @param snapshot the interval's deltas; immutable, may be kept
     */
    void onSnapshot(FlowSnapshot snapshot);

    /**
     * This listener's own counters, as totals by the names declared in
     * {@link #telemetryCounters()}. Called on the collecting thread while a snapshot is built, so
     * it must only read counters, never block. The default reports none.
     *
     * @return the counters by name; empty by default
     */
    default Map<String, Long> telemetry() {
        return Map.of();
    }

    /** {@return the declaration of every counter {@link #telemetry()} reports; none by default} */
    default List<TelemetryCounter> telemetryCounters() {
        return List.of();
    }
}
