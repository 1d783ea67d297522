package io.cnm4j.core;

import java.util.Map;

/**
 * Adds tags (process, container, pod, zone, user tags…) to connections before delivery. Called
 * from the monitor's collecting thread; it should answer from a cache, not block on I/O.
 */
@FunctionalInterface
public interface Tagger {
    /** Tags for a connection; an empty map when there is nothing to add. */
    Map<String, String> tags(ConnectionKey key);
}
