package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Direction;
import io.cnm4j.core.NatTranslation;
import java.util.List;
import java.util.Map;

/**
 * What the monitor adds to a connection beyond the engine's counters: DNS names of the remote
 * address, tags, and the NAT translation. Asked lazily, once per connection and read.
 */
public interface Enricher {
    /** Adds nothing: no names, no tags, no translation. */
    Enricher NONE = new Enricher() {
    };

    /** Names that resolved the connection's remote address; empty when none. */
    default List<String> dnsNames(ConnectionKey key) {
        return List.of();
    }

    /** Tags for the connection, given the process facts the kernel captured ("" and 0 when none). */
    default Map<String, String> tags(ConnectionKey key, Direction direction, String processName, long cgroupId,
            List<String> dnsNames) {
        return Map.of();
    }

    /** The connection's NAT translation, or null. */
    default NatTranslation nat(ConnectionKey key) {
        return null;
    }
}
