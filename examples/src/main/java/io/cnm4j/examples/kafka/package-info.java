/**
 * Export to Kafka: {@link io.cnm4j.examples.kafka.KafkaFlowExporter} is a
 * {@link io.cnm4j.core.FlowListener} that publishes each interval's JSON lines (DESIGN.md) with the
 * official producer. The monitor calls it from one listener thread; it never blocks that thread,
 * and counts what it drops in the monitor's telemetry. It owns its producer until closed.
 */
package io.cnm4j.examples.kafka;
