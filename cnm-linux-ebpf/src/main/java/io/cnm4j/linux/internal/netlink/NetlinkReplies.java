package io.cnm4j.linux.internal.netlink;

import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;
import java.lang.foreign.MemorySegment;

/**
 * Reads what the kernel sends back on a netlink socket: the messages of one datagram, each length
 * checked before use, and whole dumps up to {@code NLMSG_DONE}. Stateless; nothing is allocated
 * per datagram.
 */
public final class NetlinkReplies {
    /** {@link #walk} result: the datagram ended and more may follow. */
    public static final int MORE = 0;
    /** {@link #walk} result: the datagram held {@code NLMSG_DONE}. */
    public static final int DONE = 1;

    /** What a reader does with the messages of a datagram; made once per reader. */
    public interface Handler {
        /** One message other than {@code NLMSG_DONE} and {@code NLMSG_ERROR}, at {@code at}, header included. */
        void message(MemorySegment buffer, long at, int length, int type);

        /** A datagram was truncated or held a message whose length lies; the rest of it is skipped. */
        void rejected();
    }

    private NetlinkReplies() {
    }

    /**
     * Hands every message of the datagram in {@code buffer[0, length)} to the handler.
     *
     * @return {@link #MORE}, {@link #DONE}, or the negative errno of an {@code NLMSG_ERROR}
     */
    public static int walk(MemorySegment buffer, int length, Handler handler) {
        if (length > buffer.byteSize()) {
            handler.rejected();
            return MORE;
        }
        for (long at = 0; at + Netlink.HEADER_BYTES <= length; ) {
            int messageLength = Netlink.messageLength(buffer, at);
            if (messageLength < Netlink.HEADER_BYTES || at + messageLength > length) {
                handler.rejected();
                return MORE;
            }
            int type = Netlink.messageType(buffer, at);
            if (type == Netlink.NLMSG_DONE) {
                return DONE;
            }
            if (type == Netlink.NLMSG_ERROR) {
                int error = messageLength >= Netlink.HEADER_BYTES + 4 ? Netlink.errorCode(buffer, at) : 0;
                if (error < 0) {
                    return error;
                }
            } else {
                handler.message(buffer, at, messageLength, type);
            }
            at += Netlink.align(messageLength);
        }
        return MORE;
    }

    /**
     * Sends a dump request already written to {@code request} and hands every reply message to the
     * handler until {@code NLMSG_DONE}.
     *
     * @param what names the dump in errors, e.g. {@code "sock_diag dump"}
     * @throws NativeCallException when the kernel answers with an error or the dump does not end in time
     */
    public static void dump(NetlinkSocket socket, MemorySegment request, int length, String what, long timeoutNanos,
            Handler handler) throws NativeCallException {
        socket.send(request, length);
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() - deadline < 0) {
            int received = socket.receive(100);
            if (received < 0) {
                continue;
            }
            int status = walk(socket.buffer(), received, handler);
            if (status == DONE) {
                return;
            }
            if (status < 0) {
                throw new NativeCallException(what, -status);
            }
        }
        throw new NativeCallException(what + " (no end within " + timeoutNanos / 1_000_000_000L + " s)",
                LinuxErrno.EAGAIN);
    }
}
