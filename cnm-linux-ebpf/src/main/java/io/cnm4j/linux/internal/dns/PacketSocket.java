package io.cnm4j.linux.internal.dns;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.StructOffsets;
import io.cnm4j.linux.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * A raw {@code AF_PACKET} socket on every interface of the current network namespace, filtered in
 * the kernel by a {@link DnsSocketFilter}, read through a {@code PACKET_RX_RING} of version
 * {@code TPACKET_V3}: the kernel packs packets back to back into blocks of a memory-mapped ring,
 * each with its timestamp and offsets, and hands a block to user space when it is full or after
 * {@link #BLOCK_TIMEOUT_MILLIS}. The reader copies each packet out and returns the block by
 * resetting its status, so a busy capture makes no system call per packet, small DNS packets
 * take little room, and a packet as large as a block (a 64 KiB TCP segment on loopback) is whole.
 *
 * <p>The socket is created with protocol 0, which receives nothing, and is bound to
 * {@code ETH_P_ALL} only after its filter and ring are in place: no unfiltered packet is queued.
 *
 * <p>Owns its descriptor and mapping and frees both in {@link #close()}, which is idempotent.
 * Not thread-safe: open it on one thread, receive on one thread at a time, and close it only once
 * no thread receives any more.
 */
final class PacketSocket implements AutoCloseable {
    /** Bytes per block; a multiple of every Linux page size, and larger than any IP packet. */
    static final int BLOCK_SIZE = 128 * 1024;
    /** Blocks in the ring: 8 MiB in all. */
    static final int BLOCK_COUNT = 64;
    /**
     * A block holding packets is handed over at the latest this long after it was opened. With
     * little traffic each block may hold a single packet, so the ring absorbs a reader stall of
     * {@code BLOCK_COUNT * BLOCK_TIMEOUT_MILLIS} (3.2 s) before the kernel drops.
     */
    static final int BLOCK_TIMEOUT_MILLIS = 50;
    /** Largest packet, from its IP header, that a {@link CapturedPacket} needs to hold. */
    static final int MAX_PACKET = 65_536 + 64;

    /** Generic Linux ABI values (linux/if_packet.h, linux/if_ether.h), shared by x86_64 and aarch64. */
    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int TPACKET_V3 = 2;
    static final int ETH_P_ALL = 0x0003;

    /** {@code struct sockaddr_ll} (linux/if_packet.h); the protocol is in network byte order. */
    static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            JAVA_BYTE.withName("sll_pkttype"),
            JAVA_BYTE.withName("sll_halen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));
    static final int SLL_FAMILY = StructOffsets.offset(SOCKADDR_LL, "sll_family");
    static final int SLL_PROTOCOL = StructOffsets.offset(SOCKADDR_LL, "sll_protocol");
    static final int SLL_HATYPE = StructOffsets.offset(SOCKADDR_LL, "sll_hatype");
    static final int SLL_PKTTYPE = StructOffsets.offset(SOCKADDR_LL, "sll_pkttype");

    /** Frame size only matters to the kernel's validation of the request for TPACKET_V3. */
    private static final int NOMINAL_FRAME_SIZE = 2048;

    // struct tpacket_block_desc with struct tpacket_hdr_v1 (linux/if_packet.h), host byte order.
    private static final int BLOCK_STATUS = 8;
    private static final int BLOCK_PACKETS = 12;
    private static final int BLOCK_FIRST_PACKET = 16;
    // struct tpacket3_hdr.
    private static final int TP_NEXT_OFFSET = 0;
    private static final int TP_SEC = 4;
    private static final int TP_NSEC = 8;
    private static final int TP_SNAPLEN = 12;
    private static final int TP_LEN = 16;
    private static final int TP_MAC = 24;
    private static final int TP_NET = 26;
    /** The sockaddr_ll follows the header at TPACKET_ALIGN(sizeof(struct tpacket3_hdr)). */
    private static final int TP_SOCKADDR = 48;
    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** Holds everything below; freed by {@link #close()}. */
    private final Arena arena = Arena.ofShared();
    /** Where each call captures errno; used by one thread at a time, as the socket is. */
    private final MemorySegment callState = Libc.allocateCallState(arena);
    /** One {@code struct pollfd}, and the {@code socklen_t} of getsockopt, reused by every call. */
    private final MemorySegment pollFd = arena.allocate(Libc.POLLFD);
    private final MemorySegment optionLength = arena.allocate(JAVA_INT);
    /** struct tpacket_stats_v3: the kernel always writes all 12 bytes for TPACKET_V3. */
    private final MemorySegment statistics = arena.allocate(12, 4);
    private int fd = -1;
    private MemorySegment ring;
    private int block;
    private int packetsLeft;
    private long packetOffset;

    private PacketSocket() {
    }

    /** Opens, filters, maps and binds the socket. */
    static PacketSocket open(DnsSocketFilter filter) throws NativeCallException {
        PacketSocket socket = new PacketSocket();
        try {
            socket.setUp(filter);
            return socket;
        } catch (NativeCallException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void setUp(DnsSocketFilter filter) throws NativeCallException {
        fd = Libc.socket(callState, Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0, "socket(AF_PACKET, SOCK_RAW)");
        pollFd.set(JAVA_INT, Libc.POLLFD_FD, fd);
        pollFd.set(JAVA_SHORT, Libc.POLLFD_EVENTS, (short) (Libc.POLLIN | Libc.POLLERR));
        try (Arena setup = Arena.ofConfined()) {
            Libc.setsockopt(callState, fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, filter.toSockFprog(setup),
                    "setsockopt(SO_ATTACH_FILTER, " + filter.length() + " instructions)");
            Libc.setsockoptInt(callState, fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3,
                    "setsockopt(PACKET_VERSION, TPACKET_V3)");

            // struct tpacket_req3 { block_size, block_nr, frame_size, frame_nr, retire_blk_tov,
            //                       sizeof_priv, feature_req_word }
            MemorySegment request = setup.allocate(28, 4);
            request.set(ValueLayout.JAVA_INT, 0, BLOCK_SIZE);
            request.set(ValueLayout.JAVA_INT, 4, BLOCK_COUNT);
            request.set(ValueLayout.JAVA_INT, 8, NOMINAL_FRAME_SIZE);
            request.set(ValueLayout.JAVA_INT, 12, BLOCK_COUNT * (BLOCK_SIZE / NOMINAL_FRAME_SIZE));
            request.set(ValueLayout.JAVA_INT, 16, BLOCK_TIMEOUT_MILLIS);
            Libc.setsockopt(callState, fd, SOL_PACKET, PACKET_RX_RING, request,
                    "setsockopt(PACKET_RX_RING, " + BLOCK_COUNT + " x " + BLOCK_SIZE + " B)");
            ring = Libc.mmapShared(callState, fd, (long) BLOCK_SIZE * BLOCK_COUNT, "mmap(PACKET_RX_RING)");

            // struct sockaddr_ll with ifindex 0: every interface of the namespace.
            MemorySegment address = setup.allocate(SOCKADDR_LL);
            address.set(JAVA_SHORT, SLL_FAMILY, (short) Libc.AF_PACKET);
            address.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), SLL_PROTOCOL, (short) ETH_P_ALL);
            Libc.bind(callState, fd, address, "bind(AF_PACKET, ETH_P_ALL, all interfaces)");
        }
    }

    /**
     * Takes the next packet into {@code packet}, waiting up to {@code timeoutMillis} when none is
     * ready. Bytes beyond the packet's capacity are left out, as if the kernel had truncated them.
     *
     * @return true when {@code packet} now holds a packet
     */
    boolean next(CapturedPacket packet, int timeoutMillis) throws NativeCallException {
        if (packetsLeft == 0 && !openBlock(timeoutMillis)) {
            return false;
        }
        long header = packetOffset;
        int snapLength = ring.get(ValueLayout.JAVA_INT, header + TP_SNAPLEN);
        int wireLength = ring.get(ValueLayout.JAVA_INT, header + TP_LEN);
        int mac = Short.toUnsignedInt(ring.get(ValueLayout.JAVA_SHORT, header + TP_MAC));
        int net = Short.toUnsignedInt(ring.get(ValueLayout.JAVA_SHORT, header + TP_NET));
        long seconds = Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, header + TP_SEC));
        long nanos = Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, header + TP_NSEC));
        long address = header + TP_SOCKADDR;
        int hardwareType = Short.toUnsignedInt(
                ring.get(ValueLayout.JAVA_SHORT, address + SLL_HATYPE));
        int packetType = Byte.toUnsignedInt(
                ring.get(ValueLayout.JAVA_BYTE, address + SLL_PKTTYPE));

        int linkLength = net - mac;
        long blockEnd = (long) block * BLOCK_SIZE + BLOCK_SIZE;
        int captured = (int) Math.max(0, Math.min(snapLength - linkLength, blockEnd - (header + net)));
        int copied = Math.min(captured, packet.capacity());
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, header + net, packet.data(), 0, copied);
        packet.set(copied, Math.max(copied, wireLength - linkLength), packetType, hardwareType,
                seconds * 1_000_000_000L + nanos);

        packetOffset = header + ring.get(ValueLayout.JAVA_INT, header + TP_NEXT_OFFSET);
        if (--packetsLeft == 0) {
            releaseBlock();
        }
        return true;
    }

    /** Waits for the current block to belong to user space; false when it did not in time. */
    private boolean openBlock(int timeoutMillis) throws NativeCallException {
        long base = (long) block * BLOCK_SIZE;
        if (!userOwns(base) && (!pollReadable(timeoutMillis) || !userOwns(base))) {
            return false;
        }
        packetsLeft = ring.get(ValueLayout.JAVA_INT, base + BLOCK_PACKETS);
        packetOffset = base + ring.get(ValueLayout.JAVA_INT, base + BLOCK_FIRST_PACKET);
        if (packetsLeft == 0) {
            releaseBlock();
            return false;
        }
        return true;
    }

    /** True when the socket is readable (or in error, which the next read reports); false on timeout. */
    private boolean pollReadable(int timeoutMillis) throws NativeCallException {
        pollFd.set(JAVA_SHORT, Libc.POLLFD_REVENTS, (short) 0);
        return Libc.poll(callState, pollFd, 1, timeoutMillis) > 0;
    }

    private boolean userOwns(long base) {
        return ((int) INT.getAcquire(ring, base + BLOCK_STATUS) & TP_STATUS_USER) != 0;
    }

    /** Hands the block back; the release store orders every read of it before the kernel's next write. */
    private void releaseBlock() {
        INT.setRelease(ring, (long) block * BLOCK_SIZE + BLOCK_STATUS, TP_STATUS_KERNEL);
        block = block + 1 == BLOCK_COUNT ? 0 : block + 1;
    }

    /**
     * The clock the kernel stamps packets with ({@code CLOCK_REALTIME}), in nanoseconds since the
     * epoch, for comparing with {@link CapturedPacket#timestampNanos()}.
     */
    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Reads and resets the kernel's counters ({@code PACKET_STATISTICS}): the kernel zeroes them on
     * every read, so the caller must add them up.
     *
     * @param into receives {packets that passed the filter since the last read, drops among them,
     *             times the ring was full}
     */
    void readStatistics(long[] into) throws NativeCallException {
        // struct tpacket_stats_v3 { tp_packets; tp_drops; tp_freeze_q_cnt }; tp_packets includes the drops.
        Libc.getsockopt(callState, fd, SOL_PACKET, PACKET_STATISTICS, statistics, optionLength,
                "getsockopt(PACKET_STATISTICS)");
        into[0] = Integer.toUnsignedLong(statistics.get(ValueLayout.JAVA_INT, 0));
        into[1] = Integer.toUnsignedLong(statistics.get(ValueLayout.JAVA_INT, 4));
        into[2] = Integer.toUnsignedLong(statistics.get(ValueLayout.JAVA_INT, 8));
    }

    /** Unmaps the ring, closes the descriptor and frees the memory; each at most once. */
    @Override
    public void close() {
        try {
            if (ring != null) {
                MemorySegment mapping = ring;
                ring = null;
                Libc.munmap(mapping);
            }
        } finally {
            try {
                if (fd >= 0) {
                    int descriptor = fd;
                    fd = -1;
                    Libc.close(descriptor);
                }
            } finally {
                if (arena.scope().isAlive()) {
                    arena.close();
                }
            }
        }
    }
}
