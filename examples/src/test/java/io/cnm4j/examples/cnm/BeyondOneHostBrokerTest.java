package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.examples.fleet.FleetRecordings;
import io.cnm4j.examples.fleet.FleetServiceMap;
import io.cnm4j.examples.fleet.MapEdge;
import io.cnm4j.examples.fleet.Totals;
import io.cnm4j.examples.kafka.ExportTopics;
import io.cnm4j.examples.kafka.KafkaFlowExporter;
import io.cnm4j.examples.kafka.KraftBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The three paths beyond one host, end to end on one real KRaft broker. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BeyondOneHostBrokerTest {
    private static final String REPLAY = TestFiles.replay("two-intervals.jsonl").toString();
    /** The start of a minute, ten minutes ago: the fleet's two intervals fall in two known windows. */
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    private static final long W0 = BASE.toEpochMilli();
    private static final long W1 = W0 + 60_000;
    private static final Map<MapEdge, Totals> SERVICES = Map.of(
            new MapEdge(W0, "10.0.9.9", "postgres"), new Totals(30, 1, 0, 0),
            new MapEdge(W0, "api", "postgres"), new Totals(5050, 1, 0, 0),
            new MapEdge(W0, "frontend", "10.0.2.20:8080"), new Totals(0, 1, 1, 0),
            new MapEdge(W0, "frontend", "93.184.216.34:443"), new Totals(500, 1, 0, 0),
            new MapEdge(W0, "frontend", "api"), new Totals(1500, 1, 0, 3),
            new MapEdge(W1, "frontend", "api"), new Totals(1000, 1, 0, 1));
    private static final Map<MapEdge, Totals> ZONES = Map.of(
            new MapEdge(W0, "eu-1a", "eu-1b"), new Totals(1500, 1, 0, 3),
            new MapEdge(W0, "eu-1a", "unknown"), new Totals(500, 2, 1, 0),
            new MapEdge(W0, "eu-1b", "eu-1b"), new Totals(5050, 1, 0, 0),
            new MapEdge(W0, "unknown", "eu-1b"), new Totals(30, 1, 0, 0),
            new MapEdge(W1, "eu-1a", "eu-1b"), new Totals(1000, 1, 0, 1));

    private static KraftBroker broker;

    @BeforeAll
    static void startBrokerAndExportTheFleet() throws Exception {
        broker = KraftBroker.start();
        broker.createTopics("watch", "watch.dns", "watch.telemetry", "fleet", "fleet.dns", "fleet.telemetry");
        for (FleetRecordings.Host host : FleetRecordings.FLEET) {
            try (KafkaFlowExporter exporter = KafkaFlowExporter.create(broker.bootstrapServers(),
                    ExportTopics.named("fleet"), host.name(), Map.of(), Duration.ofSeconds(20))) {
                for (FlowSnapshot snapshot : host.snapshots(BASE)) {
                    exporter.onSnapshot(snapshot);
                }
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    @Order(1)
    void watchExportPublishesExactlyThePrintedLines() {
        // when
        String target = "kafka://" + broker.bootstrapServers() + "/watch";
        CommandRun run = CommandRun.of("watch", "--json", "--replay", REPLAY, "--interval", "20ms", "--export", target);

        // then: each topic holds the printed lines of its type, in order, and nothing was dropped
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEqualTo("cnm: exported to " + target + ": {kafka_records_dropped=0, kafka_records_sent=6}\n");
        List<String> printed = run.out().lines().toList();
        assertThat(values(broker.read("watch", 3, 20_000))).isEqualTo(ofType(printed, "conn")).hasSize(3);
        assertThat(values(broker.read("watch.dns", 1, 20_000))).isEqualTo(ofType(printed, "dns")).hasSize(1);
        assertThat(values(broker.read("watch.telemetry", 2, 20_000))).isEqualTo(ofType(printed, "telemetry")).hasSize(2);
    }

    @Test
    @Order(2)
    void streamsServiceMapOnTheBrokerCountsABothEndsConnectionOnce(@TempDir Path state) throws Exception {
        // given: the three hosts' exported connections on the "fleet" topic
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "fleet-map-e2e");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);

        // when
        Map<MapEdge, Totals> services;
        Map<MapEdge, Totals> zones;
        try (KafkaStreams streams = new KafkaStreams(
                FleetServiceMap.topology("fleet", Duration.ofMinutes(1), Duration.ofSeconds(30)), config)) {
            streams.start();
            services = awaitEdges(streams, FleetServiceMap.SERVICES_STORE, SERVICES);
            zones = awaitEdges(streams, FleetServiceMap.ZONES_STORE, ZONES);
        }

        // then: the same exact totals as with the test driver, web-1 -> api-1 counted once
        assertThat(services).containsExactlyInAnyOrderEntriesOf(SERVICES);
        assertThat(zones).containsExactlyInAnyOrderEntriesOf(ZONES);
    }

    @Test
    @Order(3)
    void fleetCommandPrintsTheMaps() {
        // when
        CommandRun run = CommandRun.of("fleet", "--from", "kafka://" + broker.bootstrapServers() + "/fleet",
                "--duration", "5s");

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        String w0 = Instant.ofEpochMilli(W0).toString();
        String w1 = Instant.ofEpochMilli(W1).toString();
        assertThat(run.out().lines()).containsExactly(
                "services:",
                "  " + w0 + " 10.0.9.9 -> postgres bytes=30 connections=1 failures=0 retransmits=0",
                "  " + w0 + " api -> postgres bytes=5050 connections=1 failures=0 retransmits=0",
                "  " + w0 + " frontend -> 10.0.2.20:8080 bytes=0 connections=1 failures=1 retransmits=0",
                "  " + w0 + " frontend -> 93.184.216.34:443 bytes=500 connections=1 failures=0 retransmits=0",
                "  " + w0 + " frontend -> api bytes=1500 connections=1 failures=0 retransmits=3",
                "  " + w1 + " frontend -> api bytes=1000 connections=1 failures=0 retransmits=1",
                "zones:",
                "  " + w0 + " eu-1a -> eu-1b bytes=1500 connections=1 failures=0 retransmits=3",
                "  " + w0 + " eu-1a -> unknown bytes=500 connections=2 failures=1 retransmits=0",
                "  " + w0 + " eu-1b -> eu-1b bytes=5050 connections=1 failures=0 retransmits=0",
                "  " + w0 + " unknown -> eu-1b bytes=30 connections=1 failures=0 retransmits=0",
                "  " + w1 + " eu-1a -> eu-1b bytes=1000 connections=1 failures=0 retransmits=1");
    }

    /** Queries a map store until it holds what is expected or 60 s pass; returns what it holds last. */
    private static Map<MapEdge, Totals> awaitEdges(KafkaStreams streams, String store, Map<MapEdge, Totals> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<MapEdge, Totals> edges = Map.of();
        while (!edges.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            try {
                edges = FleetServiceMap.edges(streams.store(
                        StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<MapEdge, Totals>keyValueStore())));
            } catch (InvalidStateStoreException e) {
                // not running yet (rebalancing): ask again
            }
        }
        return edges;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static List<String> ofType(List<String> lines, String type) {
        return lines.stream().filter(line -> line.startsWith("{\"type\":\"" + type + "\"")).toList();
    }
}
