package io.cnm4j.examples;

import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.examples.kafka.KafkaFlowExporter;
import io.cnm4j.examples.otel.OtlpFlowExporter;
import java.util.List;

/** The telemetry counters of the example exporters, declared once with their kind and meaning. */
public final class ExporterCounters {
    /** {@link KafkaFlowExporter}. */
    public static final List<TelemetryCounter> KAFKA = List.of(
            TelemetryCounter.loss(KafkaFlowExporter.DROPPED,
                    "Kafka records that never reached the broker (buffer full or delivery timed out)"),
            TelemetryCounter.activity(KafkaFlowExporter.SENT, "Kafka records the broker acknowledged"));
    /** {@link OtlpFlowExporter}. */
    public static final List<TelemetryCounter> OTLP = List.of(
            TelemetryCounter.loss(OtlpFlowExporter.EXPORTS_FAILED, "OTLP exports that failed (their data points are lost)"));

    private ExporterCounters() {
    }
}
