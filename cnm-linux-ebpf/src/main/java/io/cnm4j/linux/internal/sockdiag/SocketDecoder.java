package io.cnm4j.linux.internal.sockdiag;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.linux.internal.netlink.Netlink;
import java.lang.foreign.MemorySegment;

/**
 * Turns one {@code inet_diag_msg} and its {@code tcp_info} into a {@link ConnectionEvent} in
 * place. Stateless.
 *
 * <p>Bytes sent are {@code tcpi_bytes_sent - tcpi_bytes_retrans} (payload written once), not
 * {@code tcpi_bytes_acked}, which also counts the SYN and FIN of the active side; bytes received
 * drop the peer's FIN, which {@code tcpi_bytes_received} counts as one byte.
 */
final class SocketDecoder {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int TCP_SYN_SENT = 2;
    static final int TCP_LISTEN = 10;
    private static final int TCP_CLOSE_WAIT = 8;
    private static final int TCP_LAST_ACK = 9;
    private static final int TCP_CLOSING = 11;

    private SocketDecoder() {
    }

    static int state(MemorySegment s, long message) {
        return Byte.toUnsignedInt(s.get(JAVA_BYTE, message + InetDiag.MSG_STATE));
    }

    static int localPort(MemorySegment s, long message) {
        return Netlink.readBigEndianShort(s, message + InetDiag.MSG_SPORT);
    }

    static long inode(MemorySegment s, long message) {
        return Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, message + InetDiag.MSG_INODE));
    }

    static long cookie(MemorySegment s, long message) {
        return Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, message + InetDiag.MSG_COOKIE))
                | Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, message + InetDiag.MSG_COOKIE + 4)) << 32;
    }

    /**
     * Fills the event's identity and TCP counters.
     *
     * @return false when the message is not an IPv4 or IPv6 socket (a rejection)
     */
    static boolean decode(MemorySegment s, long message, long info, int infoLength, ConnectionEvent into) {
        int family = Byte.toUnsignedInt(s.get(JAVA_BYTE, message + InetDiag.MSG_FAMILY));
        if (family != AF_INET && family != AF_INET6) {
            return false;
        }
        long source = message + InetDiag.MSG_SRC;
        long destination = message + InetDiag.MSG_DST;
        // A dual-stack socket (Java's default) talking IPv4 shows ::ffff:a.b.c.d: report it as IPv4.
        boolean v4 = family == AF_INET || mapped(s, source) && mapped(s, destination);
        int skip = family == AF_INET6 && v4 ? 12 : 0;
        int length = v4 ? 4 : 16;
        MemorySegment.copy(s, JAVA_BYTE, source + skip, into.localAddress(), 0, length);
        MemorySegment.copy(s, JAVA_BYTE, destination + skip, into.remoteAddress(), 0, length);
        into.family(v4 ? Family.V4 : Family.V6)
                .protocol(Protocol.TCP)
                .localPort(Netlink.readBigEndianShort(s, message + InetDiag.MSG_SPORT))
                .remotePort(Netlink.readBigEndianShort(s, message + InetDiag.MSG_DPORT))
                .cookie(cookie(s, message))
                .flowId(cookie(s, message));
        if (info >= 0 && infoLength >= InetDiag.TCP_INFO_MIN_BYTES) {
            tcpInfo(s, info, infoLength, state(s, message), into);
        }
        return true;
    }

    private static void tcpInfo(MemorySegment s, long info, int infoLength, int state, ConnectionEvent into) {
        long sent = infoLength >= InetDiag.TCPI_BYTES_RETRANS + 8
                ? s.get(JAVA_LONG_UNALIGNED, info + InetDiag.TCPI_BYTES_SENT)
                        - s.get(JAVA_LONG_UNALIGNED, info + InetDiag.TCPI_BYTES_RETRANS)
                : s.get(JAVA_LONG_UNALIGNED, info + InetDiag.TCPI_BYTES_ACKED);
        long received = s.get(JAVA_LONG_UNALIGNED, info + InetDiag.TCPI_BYTES_RECEIVED);
        boolean peerFinished = state == TCP_CLOSE_WAIT || state == TCP_LAST_ACK || state == TCP_CLOSING;
        into.bytesSent(Math.max(0, sent))
                .bytesReceived(Math.max(0, peerFinished ? received - 1 : received))
                .packetsSent(Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, info + InetDiag.TCPI_SEGS_OUT)))
                .packetsReceived(Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, info + InetDiag.TCPI_SEGS_IN)))
                .retransmits(Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, info + InetDiag.TCPI_TOTAL_RETRANS)))
                .rttMicros(Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, info + InetDiag.TCPI_RTT)))
                .rttVarMicros(Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, info + InetDiag.TCPI_RTTVAR)));
    }

    private static boolean mapped(MemorySegment s, long address) {
        for (int i = 0; i < 10; i++) {
            if (s.get(JAVA_BYTE, address + i) != 0) {
                return false;
            }
        }
        return s.get(JAVA_BYTE, address + 10) == (byte) 0xFF && s.get(JAVA_BYTE, address + 11) == (byte) 0xFF;
    }
}
