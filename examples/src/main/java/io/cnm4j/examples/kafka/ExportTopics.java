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

    /** {@code PREFIX.conn}, {@code PREFIX.dns} and {@code PREFIX.telemetry}. */
    public static ExportTopics withPrefix(String prefix) {
        return new ExportTopics(prefix + ".conn", prefix + ".dns", prefix + ".telemetry");
    }
}
