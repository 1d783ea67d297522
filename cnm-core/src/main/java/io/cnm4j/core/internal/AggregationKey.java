package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Direction;

/** Flows with equal tuple and direction are delivered as one connection. */
record AggregationKey(ConnectionKey key, Direction direction) {
}
