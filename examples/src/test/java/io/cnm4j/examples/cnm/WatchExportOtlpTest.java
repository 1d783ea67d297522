package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.examples.otel.OtlpReceiver;
import io.cnm4j.examples.otel.OtlpReceiver.Point;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WatchExportOtlpTest {
    private static final String REPLAY = TestFiles.replay("two-intervals.jsonl").toString();
    private static final Map<String, Object> HTTPS = attributes("network.transport", "tcp", "network.type", "ipv4",
            "cnm.direction", "outgoing", "process.pid", 4194401L, "client.address", "10.0.0.1", "client.port", 40000L,
            "server.address", "93.184.216.34", "server.port", 443L);
    private static final Map<String, Object> POSTGRES = attributes("network.transport", "tcp", "network.type", "ipv4",
            "cnm.direction", "outgoing", "process.pid", 4194402L, "client.address", "10.0.0.1", "client.port", 40002L,
            "server.address", "10.0.0.9", "server.port", 5432L);
    private static final Map<String, Object> RESOLVER = attributes("client.address", "10.0.0.1",
            "server.address", "10.0.0.53", "dns.question.name", "example.com", "cnm.dns.query_type", "A");

    @Test
    void watchExportsEveryIntervalAsOtlpDeltas() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            String target = "otlp://127.0.0.1:" + URI.create(receiver.endpoint()).getPort() + "?temporality=delta";

            // when
            CommandRun run = CommandRun.of("watch", "--json", "--replay", REPLAY, "--interval", "20ms", "--export", target);

            // then: one request per interval of the replay, with its exact increases
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).isEqualTo("cnm: exported to " + target + ": {otlp_exports_failed=0}\n");
            assertThat(OtlpReceiver.points(receiver.next())).containsExactlyInAnyOrder(
                    point("cnm.connection.bytes", "By", with(HTTPS, "network.io.direction", "transmit"), 300),
                    point("cnm.connection.bytes", "By", with(HTTPS, "network.io.direction", "receive"), 1200),
                    point("cnm.connection.packets", "{packet}", with(HTTPS, "network.io.direction", "transmit"), 3),
                    point("cnm.connection.packets", "{packet}", with(HTTPS, "network.io.direction", "receive"), 4),
                    point("cnm.connection.established", "{connection}", HTTPS, 1),
                    point("cnm.dns.responses", "{response}", with(RESOLVER, "cnm.dns.rcode", 0L), 1),
                    point("cnm.dns.responses", "{response}", with(RESOLVER, "cnm.dns.rcode", 3L), 1));
            assertThat(OtlpReceiver.points(receiver.next())).containsExactlyInAnyOrder(
                    point("cnm.connection.bytes", "By", with(HTTPS, "network.io.direction", "transmit"), 200),
                    point("cnm.connection.bytes", "By", with(HTTPS, "network.io.direction", "receive"), 800),
                    point("cnm.connection.packets", "{packet}", with(HTTPS, "network.io.direction", "transmit"), 2),
                    point("cnm.connection.packets", "{packet}", with(HTTPS, "network.io.direction", "receive"), 2),
                    point("cnm.connection.retransmits", "{segment}", HTTPS, 1),
                    point("cnm.connection.closed", "{connection}", HTTPS, 1),
                    point("cnm.connection.closed", "{connection}", POSTGRES, 1),
                    point("cnm.connection.failures", "{connection}", with(POSTGRES, "error.type", "ECONNREFUSED"), 1));
            // closing the SDK may send one last, empty, collection: nothing is counted twice
            while (receiver.pending() > 0) {
                assertThat(OtlpReceiver.points(receiver.next())).isEmpty();
            }
        }
    }

    private static Point point(String metric, String unit, Map<String, Object> attributes, long value) {
        return new Point(metric, unit, "AGGREGATION_TEMPORALITY_DELTA", true, attributes, value);
    }

    private static Map<String, Object> attributes(Object... keysAndValues) {
        Map<String, Object> map = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> map = new TreeMap<>(base);
        map.put(key, value);
        return map;
    }
}
