package io.cnm4j.linux.internal.dns;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The alternative to {@link PacketSocket} that lost the comparison in {@link PacketReceiveThroughput}:
 * the same filtered AF_PACKET socket read with one {@code recvfrom} per packet, with a large
 * receive buffer instead of a ring and user-space timestamps. Kept only to repeat the measurement.
 */
final class RecvfromPacketSocket implements AutoCloseable {
    private static final int BUFFER_BYTES = 8 * 1024 * 1024;
    private static final int ETHERNET_HEADER = 14;
    private static final int ARPHRD_ETHER = 1;
    private static final int MSG_DONTWAIT = 0x40;

    private final PacketSocketNative sys = new PacketSocketNative();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(65_536 + 256, 16);
    private final MemorySegment address = arena.allocate(PacketSocketNative.SOCKADDR_LL_SIZE, 4);
    private final long epochOffsetNanos = PacketSocket.nowNanos() - System.nanoTime();
    private int fd = -1;

    static RecvfromPacketSocket open(DnsSocketFilter filter) throws PacketSocketException {
        RecvfromPacketSocket socket = new RecvfromPacketSocket();
        try {
            socket.fd = socket.sys.socket(PacketSocketNative.AF_PACKET,
                    PacketSocketNative.SOCK_RAW | PacketSocketNative.SOCK_CLOEXEC, 0, "socket");
            try (Arena setup = Arena.ofConfined()) {
                socket.sys.setsockopt(socket.fd, PacketSocketNative.SOL_SOCKET, PacketSocketNative.SO_ATTACH_FILTER,
                        filter.toSockFprog(setup), "SO_ATTACH_FILTER");
                socket.sys.setsockopt(socket.fd, PacketSocketNative.SOL_SOCKET, PacketSocketNative.SO_RCVBUFFORCE,
                        BUFFER_BYTES, "SO_RCVBUFFORCE");
                MemorySegment sll = setup.allocate(PacketSocketNative.SOCKADDR_LL_SIZE, 4);
                sll.set(ValueLayout.JAVA_SHORT, 0, (short) PacketSocketNative.AF_PACKET);
                sll.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2,
                        (short) PacketSocketNative.ETH_P_ALL);
                socket.sys.bind(socket.fd, sll, "bind");
            }
            return socket;
        } catch (PacketSocketException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    boolean next(CapturedPacket packet, int timeoutMillis) throws PacketSocketException {
        // Non-blocking first: a busy capture then makes one system call per packet, not two.
        long length = sys.recvfrom(fd, buffer, PacketSocketNative.MSG_TRUNC | MSG_DONTWAIT, address);
        if (length < 0) {
            if (!sys.pollReadable(fd, timeoutMillis)) {
                return false;
            }
            length = sys.recvfrom(fd, buffer, PacketSocketNative.MSG_TRUNC | MSG_DONTWAIT, address);
            if (length < 0) {
                return false;
            }
        }
        long now = System.nanoTime() + epochOffsetNanos;
        int hatype = Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT, PacketSocketNative.SLL_HATYPE_OFFSET));
        int pkttype = Byte.toUnsignedInt(address.get(ValueLayout.JAVA_BYTE, PacketSocketNative.SLL_PKTTYPE_OFFSET));
        int link = hatype == ARPHRD_ETHER || hatype == CapturedPacket.ARPHRD_LOOPBACK ? ETHERNET_HEADER : 0;
        int captured = (int) Math.min(length, buffer.byteSize()) - link;
        int copied = Math.max(0, Math.min(captured, packet.capacity()));
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, link, packet.data(), 0, copied);
        packet.set(copied, (int) length - link, pkttype, hatype, now);
        return true;
    }

    void readStatistics(long[] into) throws PacketSocketException {
        MemorySegment stats = arena.allocate(8, 4);
        sys.getsockopt(fd, PacketSocketNative.SOL_PACKET, PacketSocketNative.PACKET_STATISTICS, stats, "stats");
        into[0] = Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 0));
        into[1] = Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 4));
    }

    @Override
    public void close() {
        if (fd >= 0) {
            sys.close(fd);
            fd = -1;
        }
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
