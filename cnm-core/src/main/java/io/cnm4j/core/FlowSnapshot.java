package io.cnm4j.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one consumer receives for one interval: the connections with new activity (deltas
 * since its previous snapshot, closed ones exactly once), the DNS statistics completed since
 * then, and the loss counters of the interval. Immutable.
 *
 * @param timestamp when the snapshot was taken
 * @param backend name of the backend that produced the data
 * @param connections connections with a non-zero delta
 * @param dnsStats DNS statistics of the interval
 * @param telemetry loss and health counters of the interval (increase since the previous snapshot)
 */
public record FlowSnapshot(
        Instant timestamp, String backend, List<ConnectionStats> connections, List<DnsStats> dnsStats,
        Telemetry telemetry) {
    /**
     * Creates an instance from its components.
     */
    public FlowSnapshot {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(telemetry, "telemetry");
        connections = List.copyOf(connections);
        dnsStats = List.copyOf(dnsStats);
    }
}
