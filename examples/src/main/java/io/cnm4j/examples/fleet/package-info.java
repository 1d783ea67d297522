/**
 * The fleet service map on Kafka Streams: {@link io.cnm4j.examples.fleet.FleetServiceMap} builds a
 * topology that joins both ends of each connection reported by the fleet's hosts and keeps
 * windowed totals by services and by zones in queryable stores. Values are immutable records;
 * threads are Kafka Streams' own.
 */
package io.cnm4j.examples.fleet;
