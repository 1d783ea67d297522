package io.cnm4j.bench;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.linux.internal.ConnRecordDecoder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
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
 * Decoding of one 184-byte {@code conn_record} of the {@code closed_events} ring
 * buffer ({@code cnm_conn.h}) into a reused {@link ConnectionEvent}, as the eBPF backend does for
 * each record between claiming the event and publishing it: {@link ConnRecordDecoder#decode} of
 * the key and stats, then the kind. The record lies off-heap, and is read
 * as the ring-buffer reader hands it over: an offset (its address) into one segment spanning the
 * whole address space. One operation is one record.
 *
 * <ul>
 *   <li>{@code tcp-v4}: a closed outgoing IPv4 TCP connection; its flow id is the cookie.
 *   <li>{@code udp-v6}: a closed IPv6 UDP peer; its flow id hashes cookie, peer address and port.
 * </ul>
 *
 * Target: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RingRecordDecodeBenchmark {
    // Offsets from cnm_conn.h; the backend's own table (ConnRecordLayout) is package-private.
    private static final int EVENT_BYTES = 184;
    private static final int EVENT_KEY = 0;
    private static final int EVENT_STATS = 32;
    private static final int EVENT_KIND = 176;
    private static final int KEY_COOKIE = 0;
    private static final int KEY_RADDR = 8;
    private static final int KEY_RPORT = 24;
    private static final int KEY_FAMILY = 26;
    private static final int KEY_PROTOCOL = 27;
    private static final int STATS_LADDR = 0;
    private static final int STATS_RADDR = 16;
    private static final int STATS_LPORT = 32;
    private static final int STATS_RPORT = 34;
    private static final int STATS_FAMILY = 36;
    private static final int STATS_PROTOCOL = 37;
    private static final int STATS_DIRECTION = 38;
    private static final int STATS_ESTABLISHED = 39;
    private static final int STATS_PID = 40;
    private static final int STATS_NETNS = 44;
    private static final int STATS_START_NS = 48;
    private static final int STATS_LAST_UPDATE_NS = 56;
    private static final int STATS_BYTES_SENT = 64;
    private static final int STATS_BYTES_RECV = 72;
    private static final int STATS_PACKETS_SENT = 80;
    private static final int STATS_PACKETS_RECV = 88;
    private static final int STATS_RETRANSMITS = 96;
    private static final int STATS_SRTT_US = 100;
    private static final int STATS_RTTVAR_US = 104;
    private static final int STATS_FAILURE_ERRNO = 108;
    private static final int CNM_EVENT_TCP_CLOSED = 1;
    private static final int CNM_EVENT_UDP_CLOSED = 2;
    private static final int CNM_DIR_OUTGOING = 2;

    /** Epoch nanoseconds at monotonic time zero: the offset the backend measures once at start. */
    private static final long MONOTONIC_TO_EPOCH_NANOS = 1_700_000_000_000_000_000L;
    private static final long COOKIE = 0x1_0000_2A2AL;
    /** The initial network namespace's inode: above 2^31, so it tests the unsigned read. */
    private static final long NETNS = 4026531840L;

    /** The reader's view: the whole address space, read at each record's address. */
    private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    @Param({"tcp-v4", "udp-v6"})
    public String record;

    private final ConnectionEvent event = new ConnectionEvent();
    private final ConnRecordDecoder decoder = new ConnRecordDecoder(MONOTONIC_TO_EPOCH_NANOS);
    private Arena arena;
    private long recordAddress;

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        arena = Arena.ofShared();
        // Ring-buffer records start 8-byte aligned, after libbpf's 8-byte record header.
        MemorySegment memory = arena.allocate(EVENT_BYTES, 8);
        switch (record) {
            case "tcp-v4" -> writeTcpV4(memory);
            case "udp-v6" -> writeUdpV6(memory);
            default -> throw new IllegalArgumentException("unknown record " + record);
        }
        recordAddress = memory.address();
        checkDecodedAsWritten(memory, decodeClosedRecord());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public ConnectionEvent decodeClosedRecord() {
        decoder.decode(ALL_MEMORY, recordAddress + EVENT_KEY, ALL_MEMORY, recordAddress + EVENT_STATS, event);
        return event.kind(ConnectionEvent.Kind.CLOSED);
    }

    /** An outgoing connection to an HTTPS server that the peer reset (ECONNRESET). */
    private static void writeTcpV4(MemorySegment memory) throws UnknownHostException {
        // TCP keys carry the cookie only: one socket is one flow.
        writeKey(memory, 4, 6, new byte[16], 0);
        writeStats(memory, 4, 6, InetAddress.getByName("10.0.12.34"), 45678, InetAddress.getByName("172.217.16.142"),
                443, CNM_DIR_OUTGOING, true);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, EVENT_STATS + STATS_RETRANSMITS, 3);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, EVENT_STATS + STATS_SRTT_US, 1_250);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, EVENT_STATS + STATS_RTTVAR_US, 310);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, EVENT_STATS + STATS_FAILURE_ERRNO, 104);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, EVENT_KIND, CNM_EVENT_TCP_CLOSED);
    }

    /** One peer of a UDP socket (a DNS resolver), closed with its socket; UDP has no RTT nor direction. */
    private static void writeUdpV6(MemorySegment memory) throws UnknownHostException {
        InetAddress peer = InetAddress.getByName("2001:4860:4860::8888");
        writeKey(memory, 6, 17, peer.getAddress(), 53);
        writeStats(memory, 6, 17, InetAddress.getByName("2001:db8:0:1::1234"), 53124, peer, 53, 0, false);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, EVENT_KIND, CNM_EVENT_UDP_CLOSED);
    }

    private static void writeKey(MemorySegment memory, int family, int protocol, byte[] remote, int remotePort) {
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, EVENT_KEY + KEY_COOKIE, COOKIE);
        MemorySegment.copy(remote, 0, memory, ValueLayout.JAVA_BYTE, EVENT_KEY + KEY_RADDR, 16);
        memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, EVENT_KEY + KEY_RPORT, (short) remotePort);
        memory.set(ValueLayout.JAVA_BYTE, EVENT_KEY + KEY_FAMILY, (byte) family);
        memory.set(ValueLayout.JAVA_BYTE, EVENT_KEY + KEY_PROTOCOL, (byte) protocol);
    }

    private static void writeStats(MemorySegment memory, int family, int protocol, InetAddress local, int localPort,
            InetAddress remote, int remotePort, int direction, boolean established) {
        long stats = EVENT_STATS;
        // Addresses are 16 bytes; an IPv4 address fills the first 4 and leaves the rest zero.
        byte[] localBytes = local.getAddress();
        byte[] remoteBytes = remote.getAddress();
        MemorySegment.copy(localBytes, 0, memory, ValueLayout.JAVA_BYTE, stats + STATS_LADDR, localBytes.length);
        MemorySegment.copy(remoteBytes, 0, memory, ValueLayout.JAVA_BYTE, stats + STATS_RADDR, remoteBytes.length);
        memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, stats + STATS_LPORT, (short) localPort);
        memory.set(ValueLayout.JAVA_SHORT_UNALIGNED, stats + STATS_RPORT, (short) remotePort);
        memory.set(ValueLayout.JAVA_BYTE, stats + STATS_FAMILY, (byte) family);
        memory.set(ValueLayout.JAVA_BYTE, stats + STATS_PROTOCOL, (byte) protocol);
        memory.set(ValueLayout.JAVA_BYTE, stats + STATS_DIRECTION, (byte) direction);
        memory.set(ValueLayout.JAVA_BYTE, stats + STATS_ESTABLISHED, (byte) (established ? 1 : 0));
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, stats + STATS_PID, 31337);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, stats + STATS_NETNS, (int) NETNS);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, stats + STATS_START_NS, 12_000_000_000L);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, stats + STATS_LAST_UPDATE_NS, 54_000_000_000L);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, stats + STATS_BYTES_SENT, 1_234_567);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, stats + STATS_BYTES_RECV, 98_765_432);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, stats + STATS_PACKETS_SENT, 1_024);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, stats + STATS_PACKETS_RECV, 70_123);
    }

    /** The benchmark must measure a decode that reads the record right, fields at their offsets. */
    private static void checkDecodedAsWritten(MemorySegment memory, ConnectionEvent decoded) {
        boolean tcp = memory.get(ValueLayout.JAVA_BYTE, EVENT_STATS + STATS_PROTOCOL) == 6;
        byte[] remote = memory.asSlice(EVENT_STATS + STATS_RADDR, 16).toArray(ValueLayout.JAVA_BYTE);
        boolean asWritten = decoded.cookie() == COOKIE
                && (decoded.flowId() == COOKIE) == tcp
                && decoded.flowId() == ConnRecordDecoder.flowId(COOKIE, memory, EVENT_STATS)
                && decoded.protocol() == (tcp ? Protocol.TCP : Protocol.UDP)
                && decoded.family() == (tcp ? Family.V4 : Family.V6)
                && decoded.direction() == (tcp ? Direction.OUTGOING : Direction.NONE)
                && decoded.establishedAfterStart() == tcp
                && Arrays.equals(decoded.remoteAddress(), remote)
                && decoded.localPort() == (tcp ? 45678 : 53124)
                && decoded.remotePort() == (tcp ? 443 : 53)
                && decoded.pid() == 31337
                && decoded.netns() == NETNS
                && decoded.startEpochNanos() == MONOTONIC_TO_EPOCH_NANOS + 12_000_000_000L
                && decoded.lastUpdateEpochNanos() == MONOTONIC_TO_EPOCH_NANOS + 54_000_000_000L
                && decoded.bytesSent() == 1_234_567
                && decoded.bytesReceived() == 98_765_432
                && decoded.packetsSent() == 1_024
                && decoded.packetsReceived() == 70_123
                && decoded.retransmits() == (tcp ? 3 : 0)
                && decoded.rttMicros() == (tcp ? 1_250 : 0)
                && decoded.rttVarMicros() == (tcp ? 310 : 0)
                && decoded.failureErrno() == (tcp ? 104 : 0);
        if (!asWritten) {
            throw new IllegalStateException("record decoded wrongly: " + decoded);
        }
    }
}
