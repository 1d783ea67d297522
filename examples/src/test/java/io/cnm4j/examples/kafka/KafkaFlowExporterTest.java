package io.cnm4j.examples.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.FlowListener;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.replay.ReplayBackendProvider;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The Kafka exporter against a real KRaft broker; the last test stops that broker. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaFlowExporterTest {
    private static final String TCP = "\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"raddr\":\"10.0.0.2\","
            + "\"rport\":443,\"pid\":42,\"netns\":7,\"direction\":\"outgoing\",\"established\":true";
    private static final List<String> TWO_INTERVALS = List.of(
            "{\"event\":\"update\",\"cookie\":1,\"lport\":40000," + TCP + ",\"bytes_sent\":100,\"bytes_recv\":1000,"
                    + "\"start_ns\":1000000000,\"ts_ns\":2000000000}",
            "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\",\"domain\":\"api.example\","
                    + "\"qtype\":\"A\",\"rcode\":3,\"latency_us\":90}",
            "{\"event\":\"tick\"}",
            "{\"event\":\"closed\",\"cookie\":1,\"lport\":40000," + TCP + ",\"bytes_sent\":150,\"bytes_recv\":1500,"
                    + "\"retransmits\":2,\"start_ns\":1000000000,\"ts_ns\":3000000000}",
            "{\"event\":\"closed\",\"cookie\":2,\"lport\":40001," + TCP + ",\"errno\":111}",
            "{\"event\":\"tick\"}");
    private static final String CONN_KEY = "web-1/tcp/10.0.0.1:%d/10.0.0.2:443/42/7";

    private static KraftBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KraftBroker.start();
        broker.createTopics("a", "a.dns", "a.telemetry", "b", "b.dns", "b.telemetry");
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static KafkaFlowExporter exporter(String prefix, Map<String, Object> overrides) {
        return KafkaFlowExporter.create(broker.bootstrapServers(), ExportTopics.named(prefix), "web-1",
                overrides, Duration.ofSeconds(20));
    }

    @Test
    @Order(1)
    void theBrokerReceivesExactlyTheRecordsOfEachInterval() {
        // given: a replayed host with a service tag, read in two intervals
        StringWriter expected = new StringWriter();
        List<FlowSnapshot> snapshots;
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(TWO_INTERVALS))
                .taggers(key -> Map.of("service", "checkout")).build();
                KafkaFlowExporter exporter = exporter("a", Map.of())) {
            FlowClient client = monitor.registerClient("export");
            monitor.start();
            snapshots = List.of(client.poll(), client.poll());

            // when
            snapshots.forEach(exporter::onSnapshot);
        }

        // then: conn, dns and telemetry topics hold exactly the JSON lines of the snapshots, in order
        try (FlowJsonWriter json = FlowJsonWriter.to(expected)) {
            snapshots.forEach(json::writeSnapshot);
        }
        List<ConsumerRecord<String, String>> conns = broker.read("a", 3, 20_000);
        List<ConsumerRecord<String, String>> dns = broker.read("a.dns", 1, 20_000);
        List<ConsumerRecord<String, String>> telemetry = broker.read("a.telemetry", 2, 20_000);
        long ts1 = snapshots.get(0).timestamp().toEpochMilli();
        long ts2 = snapshots.get(1).timestamp().toEpochMilli();
        String common = ",\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":%d,\"raddr\":\"10.0.0.2\","
                + "\"rport\":443,\"direction\":\"outgoing\",\"pid\":42,\"netns\":7,\"cookie\":%d,";
        String tail = ",\"nat\":null,\"dns_names\":[],\"tags\":{\"service\":\"checkout\"}}";
        assertThat(conns).extracting(ConsumerRecord::key, ConsumerRecord::timestamp, ConsumerRecord::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CONN_KEY.formatted(40000), ts1, "{\"type\":\"conn\",\"ts\":" + ts1
                        + common.formatted(40000, 1) + "\"bytes_sent\":100,\"bytes_recv\":1000,\"packets_sent\":0,"
                        + "\"packets_recv\":0,\"retransmits\":0,\"tcp_established\":1,\"tcp_closed\":0,\"rtt_us\":0,"
                        + "\"rtt_var_us\":0,\"tcp_failures\":{},\"closed\":false,\"intra_host\":false,\"duration_ms\":1000" + tail),
                org.assertj.core.groups.Tuple.tuple(CONN_KEY.formatted(40000), ts2, "{\"type\":\"conn\",\"ts\":" + ts2
                        + common.formatted(40000, 1) + "\"bytes_sent\":50,\"bytes_recv\":500,\"packets_sent\":0,"
                        + "\"packets_recv\":0,\"retransmits\":2,\"tcp_established\":0,\"tcp_closed\":1,\"rtt_us\":0,"
                        + "\"rtt_var_us\":0,\"tcp_failures\":{},\"closed\":true,\"intra_host\":false,\"duration_ms\":2000" + tail),
                org.assertj.core.groups.Tuple.tuple(CONN_KEY.formatted(40001), ts2, "{\"type\":\"conn\",\"ts\":" + ts2
                        + common.formatted(40001, 2) + "\"bytes_sent\":0,\"bytes_recv\":0,\"packets_sent\":0,"
                        + "\"packets_recv\":0,\"retransmits\":0,\"tcp_established\":1,\"tcp_closed\":1,\"rtt_us\":0,"
                        + "\"rtt_var_us\":0,\"tcp_failures\":{\"111\":1},\"closed\":true,\"intra_host\":false,\"duration_ms\":0" + tail));
        assertThat(dns).extracting(ConsumerRecord::key, ConsumerRecord::value).containsExactly(org.assertj.core.groups.Tuple.tuple(
                "web-1/dns/10.0.0.1/10.0.0.53/api.example/A",
                "{\"type\":\"dns\",\"ts\":" + ts1 + ",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\",\"domain\":\"api.example\","
                        + "\"qtype\":\"A\",\"rcodes\":{\"3\":1},\"timeouts\":0,\"success_latency_us_sum\":0,"
                        + "\"failure_latency_us_sum\":90,\"latency_us_p50\":90,\"latency_us_p99\":90}"));
        assertThat(telemetry).extracting(ConsumerRecord::key).containsExactly("web-1", "web-1");
        // every record, whatever its topic, is one line of what FlowJsonWriter writes for the same snapshots
        List<String> lines = expected.toString().lines().toList();
        assertThat(lines).containsExactly(conns.get(0).value(), dns.get(0).value(), telemetry.get(0).value(),
                conns.get(1).value(), conns.get(2).value(), telemetry.get(1).value());
        // nothing more than that was published
        assertThat(broker.read("a", 4, 1_000)).hasSize(3);
    }

    @Test
    @Order(2)
    void withoutAnyBrokerEveryRecordIsDroppedAtOnce() {
        // given: nothing listens on loopback port 1, so the producer never gets metadata
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(TWO_INTERVALS)).build();
                KafkaFlowExporter exporter = KafkaFlowExporter.create("127.0.0.1:1", ExportTopics.named("c"), "web-1",
                        Map.of(), Duration.ZERO)) {
            FlowClient client = monitor.registerClient("export");
            monitor.start();
            FlowSnapshot first = client.poll();

            // when
            long start = System.nanoTime();
            exporter.onSnapshot(first);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            // then: one connection, one DNS entry and the telemetry dropped without waiting
            assertThat(exporter.telemetry()).containsOnly(Map.entry(KafkaFlowExporter.DROPPED, 3L),
                    Map.entry(KafkaFlowExporter.SENT, 0L));
            assertThat(elapsedMillis).isLessThan(100);
        }
    }

    @Test
    @Order(3)
    void aStoppedBrokerMakesCountedDropsAndNeverStallsTheMonitor() throws Exception {
        // given: an exporter with short delivery timeouts, registered as a listener every 100 ms
        KafkaFlowExporter exporter = exporter("b", Map.of("request.timeout.ms", 1000, "delivery.timeout.ms", 1500,
                "linger.ms", 0, "reconnect.backoff.max.ms", 200));
        TimedExporter timed = new TimedExporter(exporter);
        List<Long> droppedSeen = new CopyOnWriteArrayList<>();
        try (NetworkMonitor monitor = NetworkMonitor.builder()
                .config(MonitorConfig.builder().interval(Duration.ofMillis(100)).build())
                .backend(ReplayBackendProvider.fromLines(TWO_INTERVALS)).build()) {
            monitor.addListener(timed);
            monitor.addListener(s -> droppedSeen.add(s.telemetry().get(KafkaFlowExporter.DROPPED)));
            monitor.start();
            assertThat(broker.read("b", 3, 20_000)).hasSize(3);

            // when: the broker goes away while the monitor keeps delivering
            int before = droppedSeen.size();
            broker.stop();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (droppedSeen.stream().mapToLong(Long::longValue).sum() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(1_000);

            // then: drops are counted and reach the snapshots; the monitor never waited for the exporter
            assertThat(droppedSeen.stream().mapToLong(Long::longValue).sum()).isPositive();
            assertThat(droppedSeen.size() - before).isGreaterThanOrEqualTo(10);
        }
        exporter.close(Duration.ZERO);
        // a blocking producer would have held a call for max.block.ms (60 s by default) or until delivery
        assertThat(timed.slowestMillis.get()).isLessThan(1_000);
        // every record is accounted for: acknowledged by the broker or counted as dropped
        Map<String, Long> counters = exporter.telemetry();
        assertThat(counters.get(KafkaFlowExporter.SENT) + counters.get(KafkaFlowExporter.DROPPED))
                .isEqualTo(timed.records.get());
        assertThat(counters.get(KafkaFlowExporter.DROPPED)).isGreaterThanOrEqualTo(droppedSeen.stream().mapToLong(Long::longValue).sum());
    }

    /** Forwards to the exporter, counting the records it was given and the longest call. */
    private static final class TimedExporter implements FlowListener {
        private final KafkaFlowExporter exporter;
        private final AtomicLong records = new AtomicLong();
        private final AtomicLong slowestMillis = new AtomicLong();

        TimedExporter(KafkaFlowExporter exporter) {
            this.exporter = exporter;
        }

        @Override
        public void onSnapshot(FlowSnapshot snapshot) {
            long start = System.nanoTime();
            exporter.onSnapshot(snapshot);
            slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
            records.addAndGet(snapshot.connections().size() + snapshot.dnsStats().size() + 1);
        }

        @Override
        public Map<String, Long> telemetry() {
            return exporter.telemetry();
        }

        @Override
        public List<TelemetryCounter> telemetryCounters() {
            return exporter.telemetryCounters();
        }
    }
}
