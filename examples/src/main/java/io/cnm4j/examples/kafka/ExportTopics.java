package io.cnm4j.examples.kafka;

import java.util.Objects;

/**
 * The three topics one exporter writes: connection deltas, DNS statistics and telemetry.
 *
 * @param connections {@code "type":"conn"} lines
 * @param dns {@code "type":"dns"} lines
 * @param telemetry {@code "type":"telemetry"} lines
 */
public record ExportTopics(String connections, String dns, String telemetry) {
    public ExportTopics {
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(telemetry, "telemetry");
    }

    /**
     * Connections to {@code topic} itself (the one the fleet map reads), DNS statistics to
     * {@code topic.dns} and telemetry to {@code topic.telemetry}.
     */
    public static ExportTopics named(String topic) {
        return new ExportTopics(topic, topic + ".dns", topic + ".telemetry");
    }
}
