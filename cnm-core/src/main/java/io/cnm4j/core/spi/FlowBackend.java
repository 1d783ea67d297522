package io.cnm4j.core.spi;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.NatTranslation;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A running source of connection events, opened by a {@link FlowBackendProvider}. Holds native
 * resources until {@link #close()}, which must be idempotent.
 *
 * <p>The monitor calls {@link #readActive}, {@link #drainDnsStats}, {@link #dnsNames} and
 * {@link #telemetry} and {@link #nat} from its collecting thread only, never concurrently with each other.
 */
public interface FlowBackend extends AutoCloseable {
    /** Starts capturing; closed connections then flow into the context's sink. */
    void start();

    /**
     * Reports every live flow's current monotonic counters to the consumer.
     *
     * @param consumer called once per live flow, with an event valid only during the call
     */
    void readActive(ActiveConnectionConsumer consumer);

    /**
     * True when {@link #readActive} reports every live flow each time (a full map read), so a
     * flow missing from reads for a while has ended even if its close event was lost.
     *
     * @return whether every call reports every live flow
     */
    default boolean readsAllActive() {
        return false;
    }

    /** {@return the features this backend provides on this host, with reasons for those it does not} */
    Map<Feature, FeatureStatus> features();

    /**
     * What native code and kernel programs this backend loaded, by name (a library's path, version
     * and SHA-256, a BPF object's SHA-256), so that users can check what runs with their privileges.
     * Empty by default.
     *
     * @return the provenance entries by name; empty by default
     */
    default Map<String, String> provenance() {
        return Map.of();
    }

    /**
     * The backend's own counters, as totals since start (gauges as current values), under the
     * names its provider declares in {@link FlowBackendProvider#telemetryCounters()}.
     *
     * @return the counters by name
     */
    Map<String, Long> telemetry();

    /** {@return DNS statistics completed since the previous call; empty when the backend captures no DNS} */
    default List<DnsStats> drainDnsStats() {
        return List.of();
    }

    /**
     * Names that resolved the address in captured DNS answers, most recent first.
     *
     * @param address a remote address of a connection
     * @return the names, most recent first; empty when none is known
     */
    default List<String> dnsNames(InetAddress address) {
        return List.of();
    }

    /**
     * The translated tuple of a connection that conntrack NATed, or null; called on the
     * collecting thread for each delivered connection. Null by default (no NAT resolution).
     *
     * @param key the connection as the host saw it
     * @return the translation, or null when there is none
     */
    default NatTranslation nat(ConnectionKey key) {
        return null;
    }

    /** Stops capturing and frees every native resource; calling it twice is harmless. */
    @Override
    void close();
}
