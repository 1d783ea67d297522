package io.cnm4j.examples.cnm;

import io.cnm4j.core.FlowListener;
import io.cnm4j.examples.kafka.ExportTopics;
import io.cnm4j.examples.kafka.KafkaFlowExporter;
import io.cnm4j.examples.otel.OtlpFlowExporter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where {@code --export} sends each interval: {@code kafka://HOST:PORT/TOPIC} (connections to
 * TOPIC, DNS statistics to TOPIC.dns, telemetry to TOPIC.telemetry) or {@code otlp://HOST:PORT}
 * (OTLP/HTTP metrics to {@code /v1/metrics}, cumulative; {@code ?temporality=delta} for deltas).
 *
 * @param text the option's value, as given
 * @param kind {@code kafka} or {@code otlp}
 * @param hostAndPort the broker or collector
 * @param topic the Kafka topic, or null for OTLP
 * @param temporality the OTLP temporality, or null for Kafka
 */
record ExportTarget(String text, String kind, String hostAndPort, String topic, OtlpFlowExporter.Temporality temporality) {
    static final String OPTION = "--export";

    /**
     * An open exporter.
     *
     * @param listener feed it every snapshot; its {@code telemetry()} counts what it sent and lost
     * @param close sends what is pending (a few seconds at most) and frees the client
     */
    record Opened(FlowListener listener, Runnable close) {
    }

    static ExportTarget parse(String text) throws UsageException {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw bad(text);
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw bad(text);
        }
        String hostAndPort = uri.getHost() + ":" + uri.getPort();
        String path = uri.getPath() == null ? "" : uri.getPath();
        if ("kafka".equals(uri.getScheme()) && path.length() > 1 && uri.getQuery() == null) {
            return new ExportTarget(text, "kafka", hostAndPort, path.substring(1), null);
        }
        if ("otlp".equals(uri.getScheme()) && path.isEmpty()) {
            String query = uri.getQuery() == null ? "temporality=cumulative" : uri.getQuery();
            return switch (query) {
                case "temporality=cumulative" -> new ExportTarget(text, "otlp", hostAndPort, null, OtlpFlowExporter.Temporality.CUMULATIVE);
                case "temporality=delta" -> new ExportTarget(text, "otlp", hostAndPort, null, OtlpFlowExporter.Temporality.DELTA);
                default -> throw bad(text);
            };
        }
        throw bad(text);
    }

    private static UsageException bad(String text) {
        return new UsageException(UsageException.Problem.BAD_VALUE, OPTION, OPTION
                + " takes kafka://HOST:PORT/TOPIC or otlp://HOST:PORT[?temporality=delta], not '" + text + "'");
    }

    /**
     * Opens the exporter, naming this host {@code host}. Kafka waits up to 5 s for the topics'
     * metadata; an unreachable broker then only means counted drops, never a stalled command.
     */
    Opened open(String host) {
        if (kind.equals("kafka")) {
            KafkaFlowExporter kafka = KafkaFlowExporter.create(hostAndPort, ExportTopics.named(topic), host, Map.of(),
                    Duration.ofSeconds(5));
            return new Opened(kafka, kafka::close);
        }
        OtlpFlowExporter otlp = new OtlpFlowExporter("http://" + hostAndPort + "/v1/metrics", host, temporality);
        return new Opened(otlp, otlp::close);
    }
}
