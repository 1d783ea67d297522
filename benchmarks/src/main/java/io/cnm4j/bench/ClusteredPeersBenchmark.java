package io.cnm4j.bench;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.core.internal.KeyedHash;
import io.cnm4j.core.spi.ConnectionEvent;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One interval of a UDP server socket that {@value #PEERS} IPv6 peers talk to: each peer's flow
 * gets its id the way the eBPF backend derives it ({@link KeyedHash} of cookie and peer), its
 * update is applied to the state engine, and a client reads the interval. Peers are chosen by an
 * attacker in one /64: {@code peers=clustered} solves interface ids so that every former unkeyed id
 * falls in the same slot of the engine's table (quadratic probing work before the fix);
 * {@code peers=samehash} picks interface ids whose {@link java.net.InetAddress#hashCode()} is one
 * value, so that every connection key lands in one bin of the maps a read aggregates with.
 * {@code random} uses random peers. The attacked cases must stay within 2x of the random one
 * ({@link CollisionRatios} prints the ratios). One operation is one interval.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ClusteredPeersBenchmark {
    static final int PEERS = 100_000;
    private static final long COOKIE = 0x1_0000_0042L;
    private static final int SERVER_PORT = 5353;
    private static final int PEER_PORT = 5353;
    /** 2001:db8:0:66::/64 as the decoder reads it: the first address word, little-endian. */
    private static final long PREFIX_WORD = 0x6600_0000_b80d_0120L;
    private static final String CLIENT = "peers-bench";

    @Param({"random", "clustered", "samehash"})
    public String peers;

    private final ConnectionEvent event = new ConnectionEvent();
    private long[] word0;
    private long[] word1;
    private ConnectionStateEngine engine;
    private long tick;

    @Setup(Level.Trial)
    public void setUp() {
        word0 = new long[PEERS];
        word1 = new long[PEERS];
        SplittableRandom random = new SplittableRandom(100);
        for (int i = 0; i < PEERS; i++) {
            if ("clustered".equals(peers)) {
                word0[i] = PREFIX_WORD;
                word1[i] = FormerUdpFlowIdAttack.interfaceIdForSlotZero(i + 1, COOKIE, PREFIX_WORD, PEER_PORT);
                if (FormerUdpFlowIdAttack.formerSlotHash(COOKIE, word0[i], word1[i], PEER_PORT) != 0) {
                    throw new IllegalStateException("peer " + i + " escapes the cluster");
                }
            } else if ("samehash".equals(peers)) {
                word0[i] = PREFIX_WORD;
                word1[i] = interfaceIdWithFixedHash(i);
            } else {
                word0[i] = random.nextLong();
                word1[i] = random.nextLong();
            }
        }
        if ("samehash".equals(peers)) {
            requireOneHash();
        }
        engine = new ConnectionStateEngine(MonitorConfig.builder().maxTrackedConnections(2 * PEERS)
                .maxClientConnections(2 * PEERS).build());
        engine.registerClient(CLIENT, true, 0);
        // The first interval creates every flow; the measured ones update them, as intervals do.
        interval();
    }

    /**
     * Inet6Address hashes an address as the sum of its four 32-bit words (bytes read signed). With
     * every byte below 128 the words are plain numbers: the third counts {@code n} in 7-bit digits
     * and the fourth is its digit-wise complement to 0x7F7F7F7F, so their sum never changes.
     */
    private static long interfaceIdWithFixedHash(int n) {
        int third = 0;
        for (int digit = 0; digit < 4; digit++) {
            third |= (n >>> (7 * digit) & 0x7F) << (8 * digit);
        }
        int fourth = 0x7F7F7F7F - third;
        long bigEndian = (long) third << 32 | (fourth & 0xFFFFFFFFL);
        // The decoder reads the address as little-endian words.
        return Long.reverseBytes(bigEndian);
    }

    @Benchmark
    public int interval() {
        tick++;
        for (int i = 0; i < PEERS; i++) {
            engine.apply(fill(i));
        }
        List<ConnectionStats> read = engine.read(CLIENT, tick);
        if (read.size() != PEERS) {
            throw new IllegalStateException(read.size() + " connections for " + PEERS + " peers");
        }
        return read.size();
    }

    private void requireOneHash() {
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        for (int i = 0; i < PEERS; i++) {
            fill(i);
            try {
                hashes.add(java.net.InetAddress.getByAddress(event.remoteAddress()).hashCode());
            } catch (java.net.UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        if (hashes.size() != 1) {
            throw new IllegalStateException(hashes.size() + " distinct address hashes");
        }
    }

    private ConnectionEvent fill(int peer) {
        byte[] remote = event.remoteAddress();
        for (int b = 0; b < 8; b++) {
            remote[b] = (byte) (word0[peer] >>> (8 * b));
            remote[8 + b] = (byte) (word1[peer] >>> (8 * b));
        }
        event.localAddress()[15] = 1;
        return event.kind(ConnectionEvent.Kind.UPDATE)
                .flowId(KeyedHash.PROCESS.flowId(COOKIE, word0[peer], word1[peer], PEER_PORT))
                .cookie(COOKIE)
                .family(Family.V6)
                .protocol(Protocol.UDP)
                .localPort(SERVER_PORT)
                .remotePort(PEER_PORT)
                .pid(4242)
                .netns(4026531840L)
                .direction(Direction.INCOMING)
                .bytesReceived(tick * 100)
                .packetsReceived(tick);
    }
}
