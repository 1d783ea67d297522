package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Direction;

/**
 * Flows with equal tuple and direction are delivered as one connection. Comparable, like its
 * tuple, so that peers chosen to share a hash cost a tree lookup, not a list scan, per read.
 */
record AggregationKey(ConnectionKey key, Direction direction) implements Comparable<AggregationKey> {
    @Override
    public int compareTo(AggregationKey other) {
        int order = key.compareTo(other.key);
        return order != 0 ? order : direction.compareTo(other.direction);
    }
}
