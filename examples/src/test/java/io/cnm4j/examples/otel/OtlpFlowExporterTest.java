package io.cnm4j.examples.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.replay.ReplayBackendProvider;
import io.cnm4j.examples.otel.OtlpReceiver.Point;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OtlpFlowExporterTest {
    private static final String OUT = "\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"raddr\":\"10.0.0.2\","
            + "\"rport\":443,\"pid\":42,\"netns\":7,\"direction\":\"outgoing\"";
    private static final String DNS = "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\","
            + "\"domain\":\"api.example\",\"qtype\":\"AAAA\",";
    private static final List<String> TWO_INTERVALS = List.of(
            "{\"event\":\"update\",\"cookie\":1,\"lport\":40000," + OUT + ",\"established\":true,"
                    + "\"bytes_sent\":100,\"bytes_recv\":1000,\"packets_sent\":2,\"packets_recv\":3}",
            "{\"event\":\"update\",\"cookie\":3,\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":8080,"
                    + "\"raddr\":\"10.0.0.7\",\"rport\":51000,\"pid\":43,\"netns\":7,\"direction\":\"incoming\","
                    + "\"established\":true,\"bytes_sent\":10,\"bytes_recv\":20}",
            DNS + "\"rcode\":0,\"latency_us\":100}",
            DNS + "\"rcode\":3,\"latency_us\":90}",
            "{\"event\":\"tick\"}",
            "{\"event\":\"closed\",\"cookie\":1,\"lport\":40000," + OUT + ",\"established\":true,"
                    + "\"bytes_sent\":150,\"bytes_recv\":1500,\"packets_sent\":3,\"packets_recv\":4,\"retransmits\":2}",
            "{\"event\":\"closed\",\"cookie\":2,\"lport\":40001," + OUT + ",\"errno\":111}",
            DNS + "\"timeout\":true}",
            "{\"event\":\"tick\"}");

    private static final Map<String, Object> OUTGOING = attributes("network.transport", "tcp", "network.type", "ipv4",
            "cnm.direction", "outgoing", "process.pid", 42L, "client.address", "10.0.0.1", "client.port", 40000L,
            "server.address", "10.0.0.2", "server.port", 443L, "cnm.tag.zone", "eu-1a");
    private static final Map<String, Object> REFUSED = with(OUTGOING, "client.port", 40001L);
    private static final Map<String, Object> INCOMING = attributes("network.transport", "tcp", "network.type", "ipv4",
            "cnm.direction", "incoming", "process.pid", 43L, "client.address", "10.0.0.7", "client.port", 51000L,
            "server.address", "10.0.0.1", "server.port", 8080L, "cnm.tag.zone", "eu-1a");
    private static final Map<String, Object> RESOLVER = attributes("client.address", "10.0.0.1",
            "server.address", "10.0.0.53", "dns.question.name", "api.example", "cnm.dns.query_type", "AAAA");

    /** Exports the two replayed intervals, one snapshot at a time, and returns the two requests. */
    private static List<ExportMetricsServiceRequest> export(OtlpFlowExporter.Temporality temporality) throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver();
                NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(TWO_INTERVALS))
                        .taggers(key -> Map.of("zone", "eu-1a")).build()) {
            FlowClient client = monitor.registerClient("otlp");
            monitor.start();
            try (OtlpFlowExporter exporter = new OtlpFlowExporter(receiver.endpoint(), "web-1", temporality)) {
                exporter.onSnapshot(client.poll());
                ExportMetricsServiceRequest first = receiver.next();
                exporter.onSnapshot(client.poll());
                ExportMetricsServiceRequest second = receiver.next();
                assertThat(exporter.telemetry()).containsExactly(Map.entry(OtlpFlowExporter.EXPORTS_FAILED, 0L));
                return List.of(first, second);
            }
        }
    }

    @Test
    void deltaTemporalitySendsEachIntervalsIncreaseWithSemanticConventionAttributes() throws Exception {
        // when
        List<ExportMetricsServiceRequest> requests = export(OtlpFlowExporter.Temporality.DELTA);

        // then
        assertThat(OtlpReceiver.resource(requests.get(0))).containsEntry("host.name", "web-1")
                .containsEntry("service.name", "cnm4j");
        assertThat(OtlpReceiver.points(requests.get(0))).containsExactlyInAnyOrder(
                delta("cnm.connection.bytes", "By", with(OUTGOING, "network.io.direction", "transmit"), 100),
                delta("cnm.connection.bytes", "By", with(OUTGOING, "network.io.direction", "receive"), 1000),
                delta("cnm.connection.packets", "{packet}", with(OUTGOING, "network.io.direction", "transmit"), 2),
                delta("cnm.connection.packets", "{packet}", with(OUTGOING, "network.io.direction", "receive"), 3),
                delta("cnm.connection.established", "{connection}", OUTGOING, 1),
                delta("cnm.connection.bytes", "By", with(INCOMING, "network.io.direction", "transmit"), 10),
                delta("cnm.connection.bytes", "By", with(INCOMING, "network.io.direction", "receive"), 20),
                delta("cnm.connection.established", "{connection}", INCOMING, 1),
                delta("cnm.dns.responses", "{response}", with(RESOLVER, "cnm.dns.rcode", 0L), 1),
                delta("cnm.dns.responses", "{response}", with(RESOLVER, "cnm.dns.rcode", 3L), 1));
        assertThat(OtlpReceiver.points(requests.get(1))).containsExactlyInAnyOrder(
                delta("cnm.connection.bytes", "By", with(OUTGOING, "network.io.direction", "transmit"), 50),
                delta("cnm.connection.bytes", "By", with(OUTGOING, "network.io.direction", "receive"), 500),
                delta("cnm.connection.packets", "{packet}", with(OUTGOING, "network.io.direction", "transmit"), 1),
                delta("cnm.connection.packets", "{packet}", with(OUTGOING, "network.io.direction", "receive"), 1),
                delta("cnm.connection.retransmits", "{segment}", OUTGOING, 2),
                delta("cnm.connection.closed", "{connection}", OUTGOING, 1),
                delta("cnm.connection.closed", "{connection}", REFUSED, 1),
                delta("cnm.connection.failures", "{connection}", with(REFUSED, "error.type", "ECONNREFUSED"), 1),
                delta("cnm.dns.timeouts", "{query}", RESOLVER, 1));
    }

    @Test
    void cumulativeTemporalitySendsTotalsSinceTheStart() throws Exception {
        // when
        List<ExportMetricsServiceRequest> requests = export(OtlpFlowExporter.Temporality.CUMULATIVE);

        // then: the second export holds every series with its total over both intervals
        assertThat(OtlpReceiver.points(requests.get(1))).containsExactlyInAnyOrder(
                cumulative("cnm.connection.bytes", "By", with(OUTGOING, "network.io.direction", "transmit"), 150),
                cumulative("cnm.connection.bytes", "By", with(OUTGOING, "network.io.direction", "receive"), 1500),
                cumulative("cnm.connection.packets", "{packet}", with(OUTGOING, "network.io.direction", "transmit"), 3),
                cumulative("cnm.connection.packets", "{packet}", with(OUTGOING, "network.io.direction", "receive"), 4),
                cumulative("cnm.connection.established", "{connection}", OUTGOING, 1),
                cumulative("cnm.connection.retransmits", "{segment}", OUTGOING, 2),
                cumulative("cnm.connection.closed", "{connection}", OUTGOING, 1),
                cumulative("cnm.connection.closed", "{connection}", REFUSED, 1),
                cumulative("cnm.connection.failures", "{connection}", with(REFUSED, "error.type", "ECONNREFUSED"), 1),
                cumulative("cnm.connection.bytes", "By", with(INCOMING, "network.io.direction", "transmit"), 10),
                cumulative("cnm.connection.bytes", "By", with(INCOMING, "network.io.direction", "receive"), 20),
                cumulative("cnm.connection.established", "{connection}", INCOMING, 1),
                cumulative("cnm.dns.responses", "{response}", with(RESOLVER, "cnm.dns.rcode", 0L), 1),
                cumulative("cnm.dns.responses", "{response}", with(RESOLVER, "cnm.dns.rcode", 3L), 1),
                cumulative("cnm.dns.timeouts", "{query}", RESOLVER, 1));
    }

    @Test
    void aRejectedExportIsCountedAsFailed() throws Exception {
        // given: a collector that rejects every request
        try (OtlpReceiver receiver = new OtlpReceiver(400);
                NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(TWO_INTERVALS)).build();
                OtlpFlowExporter exporter = new OtlpFlowExporter(receiver.endpoint(), "web-1",
                        OtlpFlowExporter.Temporality.DELTA)) {
            FlowClient client = monitor.registerClient("otlp");
            monitor.start();

            // when
            exporter.onSnapshot(client.poll());
            receiver.next();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (exporter.telemetry().get(OtlpFlowExporter.EXPORTS_FAILED) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            // then
            assertThat(exporter.telemetry()).containsExactly(Map.entry(OtlpFlowExporter.EXPORTS_FAILED, 1L));
        }
    }

    private static Point delta(String metric, String unit, Map<String, Object> attributes, long value) {
        return new Point(metric, unit, "AGGREGATION_TEMPORALITY_DELTA", true, attributes, value);
    }

    private static Point cumulative(String metric, String unit, Map<String, Object> attributes, long value) {
        return new Point(metric, unit, "AGGREGATION_TEMPORALITY_CUMULATIVE", true, attributes, value);
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
