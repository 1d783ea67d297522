package io.cnm4j.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Loss, health and activity counters and gauges, each with its {@link TelemetryCounter}
 * declaration. In a {@link FlowSnapshot}, counters are the increase since the same consumer's
 * previous snapshot and gauges are current values; from {@link NetworkMonitor#telemetry()},
 * counters are totals since start. Every place where data can be dropped has a
 * {@link CounterKind#LOSS} counter. Immutable.
 */
public final class Telemetry {
    private static final Telemetry EMPTY = new Telemetry(Map.of());

    private final Map<String, Long> values;
    private final Map<String, TelemetryCounter> declarations;

    private Telemetry(Map<TelemetryCounter, Long> counters) {
        Map<String, Long> byName = new LinkedHashMap<>();
        Map<String, TelemetryCounter> declared = new LinkedHashMap<>();
        counters.forEach((counter, value) -> {
            TelemetryCounter earlier = declared.putIfAbsent(counter.name(), counter);
            if (earlier != null && !earlier.equals(counter)) {
                throw new IllegalArgumentException("counter '" + counter.name() + "' is declared twice: "
                        + earlier + " and " + counter);
            }
            byName.put(counter.name(), value);
        });
        this.values = Collections.unmodifiableMap(byName);
        this.declarations = Collections.unmodifiableMap(declared);
    }

    /**
     * Telemetry holding the given counters, in the map's iteration order.
     *
     * @param counters counter values by declaration
     * @return the telemetry
     */
    public static Telemetry of(Map<TelemetryCounter, Long> counters) {
        return counters.isEmpty() ? EMPTY : new Telemetry(counters);
    }

    /** {@return telemetry with no counters} */
    public static Telemetry empty() {
        return EMPTY;
    }

    /** {@return all counters by name, in a stable order} */
    public Map<String, Long> counters() {
        return values;
    }

    /**
     * One counter; 0 when it is absent.
     *
     * @param name the counter's name
     * @return its value
     */
    public long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    /**
     * One counter; 0 when it is absent.
     *
     * @param counter the counter's declaration
     * @return its value
     */
    public long get(TelemetryCounter counter) {
        return get(counter.name());
    }

    /**
     * The declaration of a counter present here.
     *
     * @param name the counter's name
     * @return its declaration, empty when no such counter is present
     */
    public Optional<TelemetryCounter> declaration(String name) {
        return Optional.ofNullable(declarations.get(name));
    }

    /**
     * The values of the counters of one kind, by name.
     *
     * @param kind the kind
     * @return the values by name
     */
    public Map<String, Long> ofKind(CounterKind kind) {
        Map<String, Long> selected = new LinkedHashMap<>();
        declarations.values().stream()
                .filter(counter -> counter.kind() == kind)
                .forEach(counter -> selected.put(counter.name(), values.get(counter.name())));
        return Collections.unmodifiableMap(selected);
    }

    /**
     * Sum of every {@link CounterKind#LOSS} counter: data that was lost.
     *
     * @return the lost events and connections
     */
    public long totalLoss() {
        return ofKind(CounterKind.LOSS).values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Telemetry that && values.equals(that.values) && declarations.equals(that.declarations);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Telemetry" + values;
    }
}
