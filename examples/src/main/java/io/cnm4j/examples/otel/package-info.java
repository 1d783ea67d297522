/**
 * Export to OpenTelemetry: {@link io.cnm4j.examples.otel.OtlpFlowExporter} is a
 * {@link io.cnm4j.core.FlowListener} that records connection and DNS counters with the
 * OpenTelemetry SDK and sends them as OTLP/HTTP metrics, with semantic-convention attributes
 * ({@link io.cnm4j.examples.otel.FlowAttributes}). Called from one listener thread; sending happens
 * on the SDK's own thread. It owns its SDK until closed.
 */
package io.cnm4j.examples.otel;
