package io.cnm4j.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The declaration of one telemetry counter: its name, its {@link CounterKind} and what it means
 * in one line. Every producer declares each counter it reports exactly once (the monitor, each
 * backend through {@link io.cnm4j.core.spi.FlowBackendProvider#telemetryCounters()}, each
 * {@link Tagger} and {@link FlowListener}); a reading under a name nobody declared is dropped
 * and counted in {@code telemetry_undeclared_names}.
 *
 * @param name lower-case snake case, such as {@code queue_dropped}
 * @param kind how the counter is reported
 * @param meaning one line, without a line break
 */
public record TelemetryCounter(String name, CounterKind kind, String meaning) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /**
     * Checks the declaration.
     *
     * @throws IllegalArgumentException when the name is not snake case or the meaning is not one line
     */
    public TelemetryCounter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(meaning, "meaning");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a counter name is lower-case snake case: '" + name + "'");
        }
        if (meaning.isBlank() || meaning.contains("\n") || meaning.contains("|")) {
            throw new IllegalArgumentException("the meaning of '" + name + "' must be one line without '|'");
        }
    }

    /**
     * A counter of lost data.
     *
     * @param name the counter's name
     * @param meaning what it counts, in one line
     * @return the declaration
     */
    public static TelemetryCounter loss(String name, String meaning) {
        return new TelemetryCounter(name, CounterKind.LOSS, meaning);
    }

    /**
     * A counter of failures that lost no data.
     *
     * @param name the counter's name
     * @param meaning what it counts, in one line
     * @return the declaration
     */
    public static TelemetryCounter health(String name, String meaning) {
        return new TelemetryCounter(name, CounterKind.HEALTH, meaning);
    }

    /**
     * A counter of work done.
     *
     * @param name the counter's name
     * @param meaning what it counts, in one line
     * @return the declaration
     */
    public static TelemetryCounter activity(String name, String meaning) {
        return new TelemetryCounter(name, CounterKind.ACTIVITY, meaning);
    }

    /**
     * A current value.
     *
     * @param name the counter's name
     * @param meaning what it counts, in one line
     * @return the declaration
     */
    public static TelemetryCounter gauge(String name, String meaning) {
        return new TelemetryCounter(name, CounterKind.GAUGE, meaning);
    }
}
