package io.cnm4j.bench;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.ConnectionView;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.NatTranslation;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
 * {@link FlowJsonWriter#writeConnection}: one {@code "type":"conn"} line per operation, as
 * {@code cnm watch --json --output FILE} writes them: to a file opened with
 * {@link Files#newOutputStream}, from the view a poll hands over ({@link PolledConnection}), with
 * the poll's timestamp. The writer buffers and writes to the file as its buffer fills. The file is
 * in {@code /dev/shm} where there is one, so that the disk's write-back speed (hundreds of MB/s at
 * these rates) is not what is measured, and it is truncated before each iteration, so a run holds at
 * most one iteration's lines. The secondary results {@code cpuOps} and {@code cpuMillis}
 * ({@link ThreadCpuRate}) give lines per second of the benchmark thread's CPU time: what one core
 * does when the machine is shared.
 *
 * <ul>
 *   <li>{@code plain-v4}: an IPv4 TCP connection as the engine delivers it without enrichment
 *       (no failures, NAT, DNS names nor tags): a 475-byte line.
 *   <li>{@code enriched-v6}: an IPv6 connection with two failures, a NAT translation, two DNS
 *       names and three tags: a 692-byte line.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonBenchmark {
    @Param({"plain-v4", "enriched-v6"})
    public String shape;

    private Path file;
    private OutputStream out;
    private FlowJsonWriter writer;
    private ConnectionView connection;
    private Instant ts;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        connection = new PolledConnection(switch (shape) {
            case "plain-v4" -> plainV4();
            case "enriched-v6" -> enrichedV6();
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        });
        ts = Instant.ofEpochMilli(1_700_000_000_123L);
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
    public void writeConnection(ThreadCpuRate cpu) {
        writer.writeConnection(connection, ts);
        cpu.cpuOps++;
    }

    private static ConnectionStats plainV4() throws UnknownHostException {
        ConnectionKey key = new ConnectionKey(Family.V4, Protocol.TCP,
                InetAddress.getByName("10.0.12.34"), 45678, InetAddress.getByName("172.217.16.142"), 443,
                31337, 4026531840L);
        Counters total = new Counters(1_234_567, 98_765_432, 1_024, 70_123, 3, 1, 0);
        Counters last = new Counters(12_345, 987_654, 42, 701, 1, 0, 0);
        Instant start = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        return new ConnectionStats(key, Direction.OUTGOING, 0x1_2345_6789L, total, last, 1_250, 310, Map.of(),
                start, start.plusSeconds(42), false, false, null, List.of(), Map.of());
    }

    private static ConnectionStats enrichedV6() throws UnknownHostException {
        ConnectionKey key = new ConnectionKey(Family.V6, Protocol.TCP,
                InetAddress.getByName("2001:db8:0:1::1234"), 45678, InetAddress.getByName("2a00:1450:4007:80e::200e"),
                443, 31337, 4026531840L);
        Counters total = new Counters(1_234_567, 98_765_432, 1_024, 70_123, 3, 1, 1);
        Counters last = new Counters(12_345, 987_654, 42, 701, 1, 0, 1);
        Instant start = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        NatTranslation nat = new NatTranslation(InetAddress.getByName("2001:db8::ffff:1"), 61000,
                InetAddress.getByName("2a00:1450:4007:80e::200e"), 443);
        return new ConnectionStats(key, Direction.OUTGOING, -0x0123_4567_89AB_CDEFL, total, last, 1_250, 310,
                Map.of(111, 2L, 104, 1L), start, start.plusSeconds(42), true, false, nat,
                List.of("www.google.com", "google.com"),
                Map.of("service", "checkout", "env", "prod", "kube_namespace", "payments"));
    }
}
