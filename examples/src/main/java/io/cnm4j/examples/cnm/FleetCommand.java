package io.cnm4j.examples.cnm;

import io.cnm4j.examples.fleet.FleetServiceMap;
import io.cnm4j.examples.fleet.MapEdge;
import io.cnm4j.examples.fleet.Totals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * {@code cnm fleet}: runs the {@link FleetServiceMap} topology over the connection topic that the
 * hosts' {@code cnm watch --export kafka://…} (or their own exporters) fill, for a while, then prints
 * the service map and the zone map from its stores (interactive queries).
 *
 * <p>Each run is a new Streams application reading the topic from its beginning, with in-memory
 * state, so it needs no setup and leaves nothing to clean but its internal topics.
 *
 * @param bootstrap the broker, HOST:PORT
 * @param topic the connection topic
 * @param window the map's window size
 * @param duration how long to consume before printing, from the moment the application runs
 */
record FleetCommand(String bootstrap, String topic, Duration window, Duration duration) implements Subcommand {
    static FleetCommand parse(List<String> args) throws UsageException {
        Map<String, OptionParser.Arity> accepted = new java.util.LinkedHashMap<>();
        accepted.put("--from", OptionParser.Arity.ONE);
        accepted.put("--window", OptionParser.Arity.ONE);
        accepted.put("--duration", OptionParser.Arity.ONE);
        OptionParser options = OptionParser.parse("fleet", args, accepted);
        String from = options.value("--from").orElseThrow(() -> new UsageException(
                UsageException.Problem.MISSING_OPTION, "--from", "fleet needs --from kafka://HOST:PORT/TOPIC"));
        ExportTarget source = ExportTarget.parse(from);
        if (!source.kind().equals("kafka")) {
            throw new UsageException(UsageException.Problem.BAD_VALUE, "--from", "--from takes kafka://HOST:PORT/TOPIC");
        }
        return new FleetCommand(source.hostAndPort(), source.topic(), options.duration("--window", Duration.ofMinutes(1)),
                options.duration("--duration", Duration.ofSeconds(30)));
    }

    @Override
    public int run(Streams io) {
        Path state = temporaryDirectory();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "cnm-fleet-" + UUID.randomUUID());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        config.put("auto.offset.reset", "earliest");
        // The behaviour Kafka 5.0 makes the default; setting it keeps Streams from warning at each start.
        config.put("processing.exception.handler.global.enabled", true);
        try (StopSignal stop = StopSignal.onShutdown();
                KafkaStreams streams = new KafkaStreams(FleetServiceMap.topology(topic, window, window), config)) {
            stop.closeIfStuck(streams);
            CountDownLatch settled = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING || !now.isRunningOrRebalancing()) {
                    settled.countDown();
                }
            });
            streams.start();
            // The duration counts from the first assignment: joining the group may take a while.
            if (!awaitRunning(streams, settled, stop)) {
                io.err().println("cnm fleet: the Streams application did not start (state " + streams.state()
                        + "): is the broker at " + bootstrap + " reachable, with the topic " + topic + "?");
                streams.close(Duration.ofSeconds(10));
                return Cnm.EXIT_UNAVAILABLE;
            }
            stop.awaitUntil(System.nanoTime() + duration.toNanos());
            print(io, "services", query(streams, FleetServiceMap.SERVICES_STORE));
            print(io, "zones", query(streams, FleetServiceMap.ZONES_STORE));
            streams.close(Duration.ofSeconds(10));
        } finally {
            delete(state);
        }
        return Cnm.EXIT_OK;
    }

    /** Waits up to a minute (or Ctrl-C) for the application to run; false when it did not. */
    private static boolean awaitRunning(KafkaStreams streams, CountDownLatch settled, StopSignal stop) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (settled.getCount() > 0 && System.nanoTime() - deadline < 0
                && !stop.awaitUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100))) {
            // waiting: the state listener counts down on RUNNING or on a failure
        }
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    private static Map<MapEdge, Totals> query(KafkaStreams streams, String store) {
        // The store is queryable once the application is running; a rebalance may briefly hide it.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return FleetServiceMap.edges(streams.store(
                        StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<MapEdge, Totals>keyValueStore())));
            } catch (InvalidStateStoreException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void print(Streams io, String title, Map<MapEdge, Totals> edges) {
        io.out().println(title + ":");
        FleetServiceMap.lines(edges).forEach(line -> io.out().println("  " + line));
        io.out().flush();
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("cnm-fleet");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Streams state directory", e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
