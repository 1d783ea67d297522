package io.cnm4j.bench;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionView;
import io.cnm4j.core.ConnectionVisitor;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.NatTranslation;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.core.internal.Enricher;
import io.cnm4j.core.spi.ConnectionEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FlowJsonWriter#writeConnection} as {@code cnm watch --json --output FILE} calls it: during
 * the state engine's read ({@link ConnectionStateEngine#read(String, long, Enricher, ConnectionVisitor)},
 * what {@code FlowClient.poll(ConnectionVisitor)} runs), one {@code "type":"conn"} line per connection
 * from the engine's own reused view, with the poll's timestamp, to a file opened with
 * {@link Files#newOutputStream}. One operation is one read of {@value #CONNECTIONS} connections with
 * distinct tuples, each moved by one UPDATE event since the previous read. The file is in
 * {@code /dev/shm} where there is one, so that the disk's write-back speed is not what is measured,
 * and it is truncated before each iteration.
 *
 * <p>The secondary results {@code cpuOps} (lines) and {@code cpuMillis} ({@link ThreadCpuRate}) give
 * lines per second of the benchmark thread's CPU time: the read and the writing, not the events
 * applied before it (the ingestion thread's work, {@link IngestionBenchmark}), which are excluded.
 * The primary score is reads per second, events included.
 *
 * <ul>
 *   <li>{@code plain-v4}: IPv4 TCP connections as the engine delivers them without enrichment (no
 *       NAT, DNS names nor tags): 455-byte lines.
 *   <li>{@code enriched-v6}: IPv6 connections with a NAT translation, two DNS names and three tags
 *       from the enricher, as the monitor's DNS cache, conntrack table and taggers give them: 653-byte
 *       lines. Failures by errno come only with a close, after which the engine
 *       forgets the flow, so they are left to the JSON tests.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonBenchmark {
    static final int CONNECTIONS = 1024;
    private static final String CLIENT = "json";

    @Param({"plain-v4", "enriched-v6"})
    public String shape;

    private ConnectionStateEngine engine;
    private Enricher enricher;
    private final ConnectionEvent event = new ConnectionEvent();
    private final Runnable nextInterval = this::applyInterval;
    private final ConnectionVisitor writeLine = this::writeLine;
    private long tick;
    private int lines;
    private Path file;
    private OutputStream out;
    private FlowJsonWriter writer;
    private final Instant ts = Instant.ofEpochMilli(1_700_000_000_123L);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        engine = SyntheticFlows.engineWithReader(CONNECTIONS, CLIENT);
        enricher = switch (shape) {
            case "plain-v4" -> Enricher.NONE;
            case "enriched-v6" -> new FixedEnrichment();
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
        applyInterval();
        engine.read(CLIENT, System.nanoTime());
        Path memory = Path.of("/dev/shm");
        file = Files.isDirectory(memory) ? Files.createTempFile(memory, "cnm-json-bench", ".jsonl")
                : Files.createTempFile("cnm-json-bench", ".jsonl");
    }

    /** As {@code cnm watch} does: the writer borrows a stream over the file, which the command closes. */
    @Setup(Level.Iteration)
    public void openFile() throws IOException {
        out = Files.newOutputStream(file);
        writer = FlowJsonWriter.to(out);
    }

    @TearDown(Level.Iteration)
    public void closeFile() throws IOException {
        writer.close();
        out.close();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.delete(file);
    }

    @Benchmark
    public void writeConnections(ThreadCpuRate cpu) {
        cpu.excluding(nextInterval);
        lines = 0;
        engine.read(CLIENT, System.nanoTime(), enricher, writeLine);
        if (lines != CONNECTIONS) {
            throw new IllegalStateException("expected " + CONNECTIONS + " connections, read " + lines);
        }
        cpu.cpuOps += lines;
    }

    private void writeLine(ConnectionView connection) {
        writer.writeConnection(connection, ts);
        lines++;
    }

    /** Every connection moves once: IPv4 as {@link SyntheticFlows} makes them, or the same flows over IPv6. */
    private void applyInterval() {
        tick++;
        boolean v6 = enricher != Enricher.NONE;
        for (int n = 0; n < CONNECTIONS; n++) {
            SyntheticFlows.fill(event, ConnectionEvent.Kind.UPDATE, n, tick);
            if (v6) {
                event.family(Family.V6);
                // 2001:db8:0:1::1234 to 2a00:1450:4007:80e::n
                setV6(event.localAddress(), 0x2001_0db8_0000_0001L, 0x1234);
                setV6(event.remoteAddress(), 0x2a00_1450_4007_080eL, n);
            }
            engine.apply(event);
        }
    }

    private static void setV6(byte[] address, long high, long low) {
        for (int i = 0; i < 8; i++) {
            address[i] = (byte) (high >>> (56 - 8 * i));
            address[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }

    /** The same names, tags and translation for every connection, as found in the monitor's caches. */
    private static final class FixedEnrichment implements Enricher {
        private final List<String> names = List.of("www.google.com", "google.com");
        private final Map<String, String> tags = new HashMap<>(
                Map.of("service", "checkout", "env", "prod", "kube_namespace", "payments"));
        private final NatTranslation nat;

        FixedEnrichment() throws UnknownHostException {
            nat = new NatTranslation(InetAddress.getByName("2001:db8::ffff:1"), 61000,
                    InetAddress.getByName("2a00:1450:4007:80e::200e"), 443);
        }

        @Override
        public List<String> dnsNames(ConnectionKey key) {
            return names;
        }

        @Override
        public Map<String, String> tags(ConnectionKey key, Direction direction, String processName, long cgroupId,
                List<String> dnsNames) {
            return tags;
        }

        @Override
        public NatTranslation nat(ConnectionKey key) {
            return nat;
        }
    }
}
