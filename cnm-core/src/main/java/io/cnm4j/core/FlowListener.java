package io.cnm4j.core;

/**
 * Receives one {@link FlowSnapshot} per interval (push). Each listener is called from its own
 * thread, one snapshot at a time, so a slow or failing listener neither delays nor stops the
 * others. While a listener is still busy, the intervals it misses are not lost: their deltas
 * are folded into its next snapshot (and counted as {@code listener_skipped_intervals}). A
 * listener that throws is counted in {@code listener_failures} and keeps receiving snapshots.
 */
@FunctionalInterface
public interface FlowListener {
    void onSnapshot(FlowSnapshot snapshot);
}
