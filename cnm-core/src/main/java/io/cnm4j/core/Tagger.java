package io.cnm4j.core;

import java.util.List;
import java.util.Map;

/**
 * Adds tags (process, container, pod, zone, user tags…) to connections before delivery. Called
 * from the monitor's collecting thread, once per delivered connection and interval; it must
 * answer from a cache, never block on I/O (refresh slow sources on a thread of its own).
 *
 * <p>Implement {@link #tags(FlowIdentity)} to see the process name and cgroup id the kernel
 * captured; simple taggers implement only {@link #tags(ConnectionKey)}. A tagger holding threads
 * is owned by whoever created it, not by the monitor.
 */
@FunctionalInterface
public interface Tagger {
    /**
     * Tags for a connection; an empty map when there is nothing to add.
     *
     * @param key the connection's tuple
     * @return the tags
     */
    Map<String, String> tags(ConnectionKey key);

    /**
     * Tags for a connection with what the kernel captured about its process. The monitor calls
     * this method; by default it answers {@link #tags(ConnectionKey)}.
     *
     * @param flow the connection with its process facts
     * @return the tags
     */
    default Map<String, String> tags(FlowIdentity flow) {
        return tags(flow.key());
    }

    /**
     * The tagger's own counters as totals (cache evictions, failed lookups…), added to the
     * monitor's {@link Telemetry} under the names declared in {@link #telemetryCounters()}.
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
