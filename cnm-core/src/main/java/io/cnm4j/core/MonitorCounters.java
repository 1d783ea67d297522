package io.cnm4j.core;

import java.util.List;

/**
 * The telemetry counters of the monitor itself (ingestion, delta engine, listeners, collector),
 * declared once with their kind and meaning. Backends, taggers and listeners declare their own.
 */
public final class MonitorCounters {
    /** Events dropped because the ingestion queue was full. */
    public static final TelemetryCounter QUEUE_DROPPED = TelemetryCounter.loss("queue_dropped",
            "events dropped because the ingestion queue was full");
    /** Events applied to the connection state. */
    public static final TelemetryCounter EVENTS_APPLIED = TelemetryCounter.activity("events_applied",
            "events from the queue or a backend read applied to the connection state");
    /** Closed connections a consumer's full closed buffer could not keep. */
    public static final TelemetryCounter CLOSED_CONN_DROPPED = TelemetryCounter.loss("closed_conn_dropped",
            "closed connections dropped because a consumer's closed buffer was full");
    /** Connections a consumer's delta state could not hold. */
    public static final TelemetryCounter CLIENT_STATE_DROPPED = TelemetryCounter.loss("client_state_dropped",
            "connections left out of a consumer's deltas because its state held max_client_connections");
    /** Connections not tracked because the tracking limit was reached. */
    public static final TelemetryCounter CONN_DROPPED = TelemetryCounter.loss("conn_dropped",
            "connections not tracked because max_tracked_connections were tracked");
    /** Live connections that disappeared without a close event. */
    public static final TelemetryCounter CONN_VANISHED = TelemetryCounter.loss("conn_vanished",
            "live connections gone from the backend without a close event, reported closed with their last counters");
    /** DNS statistics a consumer's pending statistics could not hold. */
    public static final TelemetryCounter CLIENT_DNS_STATS_DROPPED = TelemetryCounter.loss("client_dns_stats_dropped",
            "DNS statistics entries dropped because a consumer's pending statistics held max_dns_stats");
    /** Flows that shared a backend id with another live flow. */
    public static final TelemetryCounter FLOW_ID_COLLISIONS = TelemetryCounter.health("flow_id_collisions",
            "flows that arrived while another live flow had the same backend id; kept apart, never merged");
    /** Listener calls that threw. */
    public static final TelemetryCounter LISTENER_FAILURES = TelemetryCounter.loss("listener_failures",
            "listener calls that threw: that listener lost the snapshot");
    /** Intervals a busy listener missed; their deltas are folded into its next snapshot. */
    public static final TelemetryCounter LISTENER_SKIPPED_INTERVALS = TelemetryCounter.health(
            "listener_skipped_intervals",
            "intervals a listener missed while busy; their deltas are folded into its next snapshot");
    /** Polling clients forgotten after the client expiry. */
    public static final TelemetryCounter CLIENTS_EXPIRED = TelemetryCounter.health("clients_expired",
            "polling clients idle longer than client_expiry, forgotten and registered again at their next poll");
    /** Exceptions of the collector's cycles. */
    public static final TelemetryCounter COLLECTOR_ERRORS = TelemetryCounter.health("collector_errors",
            "exceptions thrown by collector cycles (cnm4j-collector), each logged once per kind");
    /** 1 once the collector gave up. */
    public static final TelemetryCounter COLLECTOR_STOPPED = TelemetryCounter.gauge("collector_stopped",
            "1 once the collector stopped after 10 failures in a row, else 0");
    /** Counters whose reading went backwards. */
    public static final TelemetryCounter STATS_UNDERFLOWS = TelemetryCounter.health("stats_underflows",
            "counter readings lower than the previous reading (a producer reset); their delta is reported as 0");
    /** Names reported without a declaration. */
    public static final TelemetryCounter TELEMETRY_UNDECLARED_NAMES = TelemetryCounter.health(
            "telemetry_undeclared_names",
            "distinct counter names reported without a declaration, whose readings were left out");

    /** Every counter above, in reporting order. */
    public static final List<TelemetryCounter> ALL = List.of(QUEUE_DROPPED, EVENTS_APPLIED, CONN_DROPPED,
            CLOSED_CONN_DROPPED, CLIENT_STATE_DROPPED, CLIENT_DNS_STATS_DROPPED, CLIENTS_EXPIRED, CONN_VANISHED,
            FLOW_ID_COLLISIONS, LISTENER_FAILURES, LISTENER_SKIPPED_INTERVALS, COLLECTOR_ERRORS, COLLECTOR_STOPPED,
            STATS_UNDERFLOWS, TELEMETRY_UNDECLARED_NAMES);

    private MonitorCounters() {
    }
}
