package io.cnm4j.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loss and health counters. In a {@link FlowSnapshot} they are the increase since the same
 * consumer's previous snapshot; from {@link NetworkMonitor#telemetry()} they are totals since
 * start. Every place where data can be dropped has a counter here; backends add their own
 * (kernel map inserts, ring buffer reservations, packet capture drops). Immutable.
 */
public final class Telemetry {
    /** Events dropped because the ingestion queue was full. */
    public static final String QUEUE_DROPPED = "queue_dropped";
    /** Events taken from the ingestion queue and applied. */
    public static final String EVENTS_APPLIED = "events_applied";
    /** Closed connections dropped because a consumer's closed buffer was full. */
    public static final String CLOSED_CONN_DROPPED = "closed_conn_dropped";
    /** Connections a consumer's delta state could not hold (per-client state limit). */
    public static final String CLIENT_STATE_DROPPED = "client_state_dropped";
    /** Connections not tracked because the maximum of tracked connections was reached. */
    public static final String CONN_DROPPED = "conn_dropped";
    /** Live connections that disappeared from the backend without a close event (reported closed). */
    public static final String CONN_VANISHED = "conn_vanished";
    /** DNS statistics keys dropped because an interval already held max_dns_stats keys. */
    public static final String DNS_STATS_DROPPED = "dns_stats_dropped";
    /** DNS statistics entries dropped because a consumer's pending statistics were full. */
    public static final String CLIENT_DNS_STATS_DROPPED = "client_dns_stats_dropped";
    /** Flows that arrived while another live flow had the same backend id; kept apart, never merged. */
    public static final String FLOW_ID_COLLISIONS = "flow_id_collisions";
    /** Calls of a listener that threw. */
    public static final String LISTENER_FAILURES = "listener_failures";
    /** Intervals a listener missed because it was still busy with an earlier snapshot. */
    public static final String LISTENER_SKIPPED_INTERVALS = "listener_skipped_intervals";
    /** Polling clients removed after staying idle longer than the client expiry. */
    public static final String CLIENTS_EXPIRED = "clients_expired";
    /** Kernel connection-map inserts that failed (map full). */
    public static final String KERNEL_MAP_INSERT_FAILED = "kernel_map_insert_failed";
    /** Ring buffer records that could not be reserved (ring buffer full). */
    public static final String RING_BUFFER_DROPPED = "ring_buffer_dropped";

    private static final Telemetry EMPTY = new Telemetry(Map.of());

    private final Map<String, Long> counters;

    private Telemetry(Map<String, Long> counters) {
        this.counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /**
     * Telemetry holding the given counters, in the map's iteration order.
     *
     * @param counters counter values by name
     * @return the telemetry
     */
    public static Telemetry of(Map<String, Long> counters) {
        return counters.isEmpty() ? EMPTY : new Telemetry(counters);
    }

    /** {@return telemetry with no counters} */
    public static Telemetry empty() {
        return EMPTY;
    }

    /** {@return all counters by name, in a stable order} */
    public Map<String, Long> counters() {
        return counters;
    }

    /**
     * One counter; 0 when it is absent.
     *
     * @param name the counter's name
     * @return its value
     */
    public long get(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /**
     * Sum of every counter whose name ends in {@code _dropped}, {@code _failed} or {@code _missed}
     * (connections a polling backend could not see): data that was lost.
     *
     * @return the lost events and connections
     */
    public long totalLoss() {
        return counters.entrySet().stream()
                .filter(e -> e.getKey().endsWith("_dropped") || e.getKey().endsWith("_failed")
                        || e.getKey().endsWith("_missed"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /**
     * Counter-wise increase from an earlier reading, clamped at zero.
     *
     * @param earlier a reading taken before this one
     * @return the increases
     */
    public Telemetry minus(Telemetry earlier) {
        Map<String, Long> delta = new LinkedHashMap<>();
        counters.forEach((name, value) -> delta.put(name, Math.max(0, value - earlier.get(name))));
        return of(delta);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Telemetry that && counters.equals(that.counters);
    }

    @Override
    public int hashCode() {
        return counters.hashCode();
    }

    @Override
    public String toString() {
        return "Telemetry" + counters;
    }
}
