package io.cnm4j.bench;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.dns.internal.DnsPacketFlow;
import io.cnm4j.dns.internal.DnsParseStatus;
import io.cnm4j.dns.internal.DnsTrafficProcessor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * One interval of DNS work when {@value #DOMAINS} distinct domains are looked up: every query and
 * its NOERROR response through {@link DnsTrafficProcessor} (parse, match, per-domain statistics),
 * then the keeper drained into the state engine and taken by a client, as the monitor does each
 * interval. {@code domains=colliding} uses names that all share one {@link String#hashCode()}
 * (15 blocks of {@code "a~"} or {@code "b_"}: both hash to 3133 and survive lower-casing), which
 * an unprivileged process can make the host look up; {@code random} uses random names of the same
 * length. The colliding case must stay within 2x of the random one ({@link CollisionRatios} prints
 * the ratio). One operation is one interval.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DnsCollisionBenchmark {
    static final int DOMAINS = 20_000;
    private static final int BLOCKS = 15;
    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;
    private static final String CLIENT = "dns-bench";

    @Param({"random", "colliding"})
    public String domains;

    private final DnsPacketFlow clientToServer = new DnsPacketFlow();
    private final DnsPacketFlow serverToClient = new DnsPacketFlow();
    private byte[][] queries;
    private byte[][] responses;
    private DnsTrafficProcessor processor;
    private ConnectionStateEngine engine;
    private long captureNanos;

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        queries = new byte[DOMAINS][];
        responses = new byte[DOMAINS][];
        SplittableRandom random = new SplittableRandom(16);
        int expectedHash = 0;
        for (int i = 0; i < DOMAINS; i++) {
            String label = "colliding".equals(domains) ? collidingLabel(i) : randomLabel(random);
            String domain = label + ".test";
            if (i == 0) {
                expectedHash = domain.hashCode();
            } else if ("colliding".equals(domains) && domain.hashCode() != expectedHash) {
                throw new IllegalStateException(domain + " does not collide");
            }
            int id = i & 0xFFFF;
            queries[i] = new DnsWireWriter().header(id, 0x0100, 1, 0, 0, 0)
                    .name(domain).u16(TYPE_A).u16(CLASS_IN).toByteArray();
            responses[i] = new DnsWireWriter().header(id, 0x8180, 1, 0, 0, 0)
                    .name(domain).u16(TYPE_A).u16(CLASS_IN).toByteArray();
        }
        InetAddress client = InetAddress.getByName("192.168.1.23");
        InetAddress resolver = InetAddress.getByName("192.168.1.1");
        clientToServer.ipProtocol(DnsPacketFlow.UDP).source(client, 53124).destination(resolver, 53);
        serverToClient.ipProtocol(DnsPacketFlow.UDP).source(resolver, 53).destination(client, 53124);
        MonitorConfig config = MonitorConfig.builder().maxDnsStats(DOMAINS).build();
        processor = DnsTrafficProcessor.create(config);
        engine = new ConnectionStateEngine(config);
        engine.registerClient(CLIENT, true, 0);
        captureNanos = System.nanoTime();
    }

    /** Block {@code b} of the label is {@code "b_"} when bit {@code b} of {@code n} is set, else {@code "a~"}. */
    private static String collidingLabel(int n) {
        StringBuilder label = new StringBuilder(2 * BLOCKS);
        for (int b = 0; b < BLOCKS; b++) {
            label.append((n >>> b & 1) == 0 ? "a~" : "b_");
        }
        return label.toString();
    }

    private static String randomLabel(SplittableRandom random) {
        StringBuilder label = new StringBuilder(2 * BLOCKS);
        for (int c = 0; c < 2 * BLOCKS; c++) {
            label.append((char) ('a' + random.nextInt(26)));
        }
        return label.toString();
    }

    @Benchmark
    public int interval() {
        for (int i = 0; i < DOMAINS; i++) {
            captureNanos += 1_000;
            processor.onUdpPayload(clientToServer, queries[i], 0, queries[i].length, captureNanos);
            DnsParseStatus status = processor.onUdpPayload(serverToClient, responses[i], 0, responses[i].length,
                    captureNanos + 500);
            if (status != DnsParseStatus.OK) {
                throw new IllegalStateException("response does not parse: " + status);
            }
        }
        List<DnsStats> drained = processor.statsKeeper().drain();
        engine.addDnsStats(drained);
        List<DnsStats> taken = engine.takeDnsStats(CLIENT);
        if (taken.size() != DOMAINS) {
            throw new IllegalStateException(taken.size() + " statistics for " + DOMAINS + " domains");
        }
        return taken.size();
    }

    @TearDown(Level.Trial)
    public void checkNothingWasLost() {
        Map<String, Long> telemetry = processor.telemetry();
        if (telemetry.get("dns_stats_dropped") != 0 || telemetry.get("dns_unsolicited_responses") != 0
                || telemetry.get("dns_mismatched_responses") != 0 || telemetry.get("dns_parse_errors") != 0) {
            throw new IllegalStateException("lost DNS work: " + telemetry);
        }
    }
}
