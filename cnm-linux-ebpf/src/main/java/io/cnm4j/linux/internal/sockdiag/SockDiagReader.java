package io.cnm4j.linux.internal.sockdiag;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.netlink.Netlink;
import io.cnm4j.linux.internal.netlink.NetlinkReplies;
import io.cnm4j.linux.internal.netlink.NetlinkSocket;
import java.lang.foreign.MemorySegment;

/**
 * Dumps the sockets of this network namespace through {@code NETLINK_SOCK_DIAG}
 * ({@code SOCK_DIAG_BY_FAMILY} with {@code inet_diag_req_v2}), which needs no capability, and
 * hands each {@code inet_diag_msg} with its {@code tcp_info} to a visitor in place. Owns its
 * socket; used by one thread at a time.
 */
final class SockDiagReader implements AutoCloseable {
    private static final long DUMP_TIMEOUT_NANOS = 10_000_000_000L;

    /** Receives one socket: its message at {@code at}, its tcp_info at {@code info} (-1 when absent). */
    interface Visitor {
        void socket(MemorySegment s, long at, long info, int infoLength);
    }

    private final NetlinkSocket socket;
    private final MemorySegment request;
    private int sequence;
    private final Messages messages = new Messages();
    private long rejected;

    private SockDiagReader(NetlinkSocket socket) {
        this.socket = socket;
        this.request = socket.allocate(Netlink.HEADER_BYTES + (int) InetDiag.REQUEST.byteSize());
    }

    static SockDiagReader open() throws NativeCallException {
        return new SockDiagReader(NetlinkSocket.open(Netlink.NETLINK_SOCK_DIAG, 0, 0));
    }

    /** Every socket of {@code family} and {@code protocol} whose state is in the {@code states} bitmask. */
    void dump(int family, int protocol, int states, Visitor visitor) throws NativeCallException {
        int length = Netlink.HEADER_BYTES + (int) InetDiag.REQUEST.byteSize();
        request.fill((byte) 0);
        Netlink.writeHeader(request, length, InetDiag.SOCK_DIAG_BY_FAMILY, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP,
                ++sequence);
        request.set(JAVA_BYTE, Netlink.HEADER_BYTES + InetDiag.REQUEST_FAMILY, (byte) family);
        request.set(JAVA_BYTE, Netlink.HEADER_BYTES + InetDiag.REQUEST_PROTOCOL, (byte) protocol);
        request.set(JAVA_BYTE, Netlink.HEADER_BYTES + InetDiag.REQUEST_EXT, (byte) InetDiag.EXT_INFO);
        request.set(JAVA_INT_UNALIGNED, Netlink.HEADER_BYTES + InetDiag.REQUEST_STATES, states);
        messages.visitor = visitor;
        NetlinkReplies.dump(socket, request, length, "sock_diag dump", DUMP_TIMEOUT_NANOS, messages);
    }

    /** Hands the inet sockets of a reply to the current dump's visitor. */
    private final class Messages implements NetlinkReplies.Handler {
        private Visitor visitor;

        @Override
        public void message(MemorySegment buffer, long at, int length, int type) {
            if (type == InetDiag.SOCK_DIAG_BY_FAMILY) {
                inetSocket(buffer, at, length, visitor);
            }
        }

        @Override
        public void rejected() {
            SockDiagReader.this.rejected++;
        }
    }

    private void inetSocket(MemorySegment buffer, long at, int length, Visitor visitor) {
        long message = at + Netlink.HEADER_BYTES;
        long attributes = message + Netlink.align((int) InetDiag.MESSAGE.byteSize());
        long end = at + length;
        if (attributes > end) {
            rejected++;
            return;
        }
        long info = -1;
        int infoLength = 0;
        for (long a = attributes; a + Netlink.ATTRIBUTE_HEADER_BYTES <= end; ) {
            int attributeLength = Netlink.attributeLength(buffer, a);
            if (attributeLength < Netlink.ATTRIBUTE_HEADER_BYTES || a + attributeLength > end) {
                rejected++;
                return;
            }
            if (Netlink.attributeType(buffer, a) == InetDiag.INET_DIAG_INFO) {
                info = a + Netlink.ATTRIBUTE_HEADER_BYTES;
                infoLength = attributeLength - Netlink.ATTRIBUTE_HEADER_BYTES;
            }
            a += Netlink.align(attributeLength);
        }
        visitor.socket(buffer, message, info, infoLength);
    }

    /** Messages that could not be decoded, since open. */
    long rejected() {
        return rejected;
    }

    @Override
    public void close() {
        socket.close();
    }
}
