package io.cnm4j.linux.internal.dns;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.nativeio.Libc;
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

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Libc.allocateCallState(arena);
    private final MemorySegment buffer = arena.allocate(65_536 + 256, 16);
    private final MemorySegment address = arena.allocate(PacketSocket.SOCKADDR_LL);
    private final MemorySegment addressLength = arena.allocate(ValueLayout.JAVA_INT);
    private final MemorySegment pollFd = arena.allocate(Libc.POLLFD);
    private final long epochOffsetNanos = PacketSocket.nowNanos() - System.nanoTime();
    private int fd = -1;

    static RecvfromPacketSocket open(DnsSocketFilter filter) throws NativeCallException {
        RecvfromPacketSocket socket = new RecvfromPacketSocket();
        MemorySegment state = socket.callState;
        try {
            socket.fd = Libc.socket(state, Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0, "socket");
            socket.pollFd.set(ValueLayout.JAVA_INT, Libc.POLLFD_FD, socket.fd);
            socket.pollFd.set(ValueLayout.JAVA_SHORT, Libc.POLLFD_EVENTS, (short) (Libc.POLLIN | Libc.POLLERR));
            try (Arena setup = Arena.ofConfined()) {
                Libc.setsockopt(state, socket.fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, filter.toSockFprog(setup),
                        "SO_ATTACH_FILTER");
                Libc.setsockoptInt(state, socket.fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, BUFFER_BYTES,
                        "SO_RCVBUFFORCE");
                MemorySegment sll = setup.allocate(PacketSocket.SOCKADDR_LL);
                sll.set(ValueLayout.JAVA_SHORT, PacketSocket.SLL_FAMILY, (short) Libc.AF_PACKET);
                sll.set(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), PacketSocket.SLL_PROTOCOL,
                        (short) PacketSocket.ETH_P_ALL);
                Libc.bind(state, socket.fd, sll, "bind");
            }
            return socket;
        } catch (NativeCallException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    boolean next(CapturedPacket packet, int timeoutMillis) throws NativeCallException {
        // Non-blocking first: a busy capture then makes one system call per packet, not two.
        long length = Libc.recvfrom(callState, fd, buffer, Libc.MSG_TRUNC | Libc.MSG_DONTWAIT, address, addressLength);
        if (length < 0) {
            if (Libc.poll(callState, pollFd, 1, timeoutMillis) == 0) {
                return false;
            }
            length = Libc.recvfrom(callState, fd, buffer, Libc.MSG_TRUNC | Libc.MSG_DONTWAIT, address, addressLength);
            if (length < 0) {
                return false;
            }
        }
        long now = System.nanoTime() + epochOffsetNanos;
        int hatype = Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT, PacketSocket.SLL_HATYPE));
        int pkttype = Byte.toUnsignedInt(address.get(ValueLayout.JAVA_BYTE, PacketSocket.SLL_PKTTYPE));
        int link = hatype == ARPHRD_ETHER || hatype == CapturedPacket.ARPHRD_LOOPBACK ? ETHERNET_HEADER : 0;
        int captured = (int) Math.min(length, buffer.byteSize()) - link;
        int copied = Math.max(0, Math.min(captured, packet.capacity()));
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, link, packet.data(), 0, copied);
        packet.set(copied, (int) length - link, pkttype, hatype, now);
        return true;
    }

    void readStatistics(long[] into) throws NativeCallException {
        MemorySegment stats = arena.allocate(8, 4);
        Libc.getsockopt(callState, fd, PacketSocket.SOL_PACKET, PacketSocket.PACKET_STATISTICS, stats, addressLength,
                "stats");
        into[0] = Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 0));
        into[1] = Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 4));
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
