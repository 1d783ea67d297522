package io.cnm4j.core.internal;

import io.cnm4j.core.CounterKind;
import io.cnm4j.core.MonitorCounters;
import io.cnm4j.core.Telemetry;
import io.cnm4j.core.TelemetryCounter;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every telemetry counter declared to one monitor, and the reading of raw totals into typed
 * {@link Telemetry}: a name nobody declared is left out, logged once and counted in
 * {@code telemetry_undeclared_names}; a counter whose total went down since the previous
 * reading (a producer that reset) counts one {@code stats_underflows}, as Datadog's agent does.
 *
 * <p>Not thread-safe: the monitor calls it under its lock.
 */
public final class TelemetryRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryRegistry.class);

    private final Map<String, TelemetryCounter> declared = new LinkedHashMap<>();
    private final Set<String> undeclared = new LinkedHashSet<>();
    private final Map<String, Long> previous = new HashMap<>();
    private long underflows;

    public TelemetryRegistry() {
        declare("the monitor", MonitorCounters.ALL);
    }

    /**
     * Adds a producer's declarations; declaring the same counter again is harmless.
     *
     * @throws IllegalArgumentException when a name is already declared with another kind or meaning
     */
    public void declare(String producer, Collection<TelemetryCounter> counters) {
        for (TelemetryCounter counter : counters) {
            TelemetryCounter existing = declared.get(counter.name());
            if (existing != null && !existing.equals(counter)) {
                throw new IllegalArgumentException(producer + " declares counter '" + counter.name()
                        + "' as " + counter.kind().label() + " (" + counter.meaning() + "), already declared as "
                        + existing.kind().label() + " (" + existing.meaning() + ")");
            }
        }
        counters.forEach(counter -> declared.put(counter.name(), counter));
    }

    /** The declaration of a name, or null. */
    public TelemetryCounter declaration(String name) {
        return declared.get(name);
    }

    /** Types one reading of every producer's totals, adding the registry's own two counters. */
    public Telemetry totals(Map<String, Long> reading) {
        Map<TelemetryCounter, Long> typed = new LinkedHashMap<>();
        reading.forEach((name, value) -> {
            TelemetryCounter counter = declared.get(name);
            if (counter == null) {
                if (undeclared.add(name)) {
                    LOG.warn("telemetry counter '{}' was never declared; its readings are left out", name);
                }
                return;
            }
            Long before = previous.put(name, value);
            if (counter.kind() != CounterKind.GAUGE && before != null && value < before) {
                underflows++;
            }
            typed.put(counter, value);
        });
        typed.put(MonitorCounters.STATS_UNDERFLOWS, underflows);
        typed.put(MonitorCounters.TELEMETRY_UNDECLARED_NAMES, (long) undeclared.size());
        return Telemetry.of(typed);
    }

    /**
     * What a consumer sees: counters as the increase since its earlier reading (0 for a counter
     * that went down, which the totals counted as an underflow), gauges as current values.
     */
    public static Telemetry delta(Telemetry now, Telemetry earlier) {
        Map<TelemetryCounter, Long> delta = new LinkedHashMap<>();
        now.counters().forEach((name, value) -> {
            TelemetryCounter counter = now.declaration(name).orElseThrow();
            delta.put(counter, counter.kind() == CounterKind.GAUGE ? value : Math.max(0, value - earlier.get(name)));
        });
        return Telemetry.of(delta);
    }
}
