package io.cnm4j.core;

/**
 * What a telemetry counter measures, which decides how a {@link FlowSnapshot} reports it and
 * whether {@link Telemetry#totalLoss()} includes it.
 */
public enum CounterKind {
    /** Data that was lost (connections, bytes, events, packets, records); monotonic, reported as a delta. */
    LOSS,
    /** Something failed or degraded without losing data (errors retried, exact fallbacks); monotonic, a delta. */
    HEALTH,
    /** Work done (events applied, packets parsed, records sent); monotonic, reported as a delta. */
    ACTIVITY,
    /** A current value (a table's size, a peak, a 0/1 state); reported as it is, never as a delta. */
    GAUGE;

    /** {@return the lower-case name used in the README's telemetry table, such as {@code loss}} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
