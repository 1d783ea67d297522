package io.cnm4j.linux.internal.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.StructOffsets;
import io.cnm4j.linux.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One netlink socket with its receive buffer: opened in the calling thread's network namespace
 * (a netlink socket stays in the namespace it was created in), bound to the given multicast
 * groups. Owns the descriptor and the memory; {@link #close()} frees both and is idempotent.
 *
 * <p>Used by one thread at a time (the call-state segment is shared by its calls); the thread
 * that uses it last closes it.
 */
public final class NetlinkSocket implements AutoCloseable {
    /** Large enough for one datagram of a netlink dump (the kernel fills at most 32 KiB). */
    public static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
    /** {@code struct sockaddr_nl} (linux/netlink.h). */
    private static final StructLayout SOCKADDR_NL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("nl_family"),
            JAVA_SHORT.withName("nl_pad"),
            JAVA_INT.withName("nl_pid"),
            JAVA_INT.withName("nl_groups"));
    private static final int NL_FAMILY = StructOffsets.offset(SOCKADDR_NL, "nl_family");
    private static final int NL_GROUPS = StructOffsets.offset(SOCKADDR_NL, "nl_groups");

    private final int fd;
    private final Arena arena;
    private final MemorySegment callState;
    private final MemorySegment buffer;
    private final MemorySegment kernelAddress;
    private final MemorySegment pollfd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NetlinkSocket(int fd, Arena arena, MemorySegment callState) {
        this.fd = fd;
        this.arena = arena;
        this.callState = callState;
        this.buffer = arena.allocate(RECEIVE_BUFFER_BYTES, 8);
        this.kernelAddress = arena.allocate(SOCKADDR_NL);
        kernelAddress.set(JAVA_SHORT, NL_FAMILY, (short) Libc.AF_NETLINK);
        this.pollfd = arena.allocate(Libc.POLLFD);
        pollfd.set(JAVA_INT, Libc.POLLFD_FD, fd);
        pollfd.set(JAVA_SHORT, Libc.POLLFD_EVENTS, (short) Libc.POLLIN);
    }

    /**
     * Opens a socket of a netlink protocol ({@code NETLINK_NETFILTER}, {@code NETLINK_SOCK_DIAG})
     * and binds it to the multicast {@code groups} bitmask (0 for none).
     *
     * @param receiveBufferBytes kernel receive buffer wanted, 0 for the default; forced beyond
     *        {@code rmem_max} when the process may, else as large as allowed
     */
    public static NetlinkSocket open(int protocol, int groups, int receiveBufferBytes) throws NativeCallException {
        Arena arena = Arena.ofShared();
        int fd = -1;
        try {
            MemorySegment callState = Libc.allocateCallState(arena);
            fd = Libc.socket(callState, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol, "socket");
            if (receiveBufferBytes > 0) {
                try {
                    Libc.setsockoptInt(callState, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, receiveBufferBytes,
                            "setsockopt");
                } catch (NativeCallException notPrivileged) {
                    Libc.setsockoptInt(callState, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, receiveBufferBytes,
                            "setsockopt");
                }
            }
            MemorySegment local = arena.allocate(SOCKADDR_NL);
            local.set(JAVA_SHORT, NL_FAMILY, (short) Libc.AF_NETLINK);
            local.set(JAVA_INT, NL_GROUPS, groups);
            Libc.bind(callState, fd, local, "bind");
            return new NetlinkSocket(fd, arena, callState);
        } catch (NativeCallException | RuntimeException e) {
            if (fd >= 0) {
                Libc.close(fd);
            }
            arena.close();
            throw e;
        }
    }

    /** The descriptor, for a caller that polls several sockets at once. */
    public int fd() {
        return fd;
    }

    /** Where {@link #receive} puts a datagram; valid until the next receive. */
    public MemorySegment buffer() {
        return buffer;
    }

    /** A zeroed message buffer of the socket's own arena, freed with the socket. */
    public MemorySegment allocate(int bytes) {
        return arena.allocate(bytes, 8);
    }

    /** Sends the first {@code length} bytes of {@code message} to the kernel. */
    public void send(MemorySegment message, int length) throws NativeCallException {
        Libc.sendto(callState, fd, message, length, kernelAddress);
    }

    /**
     * Receives one datagram into {@link #buffer()}, waiting at most {@code timeoutMillis} (0:
     * not at all). Returns its length, -1 when nothing came, or a length above the buffer size
     * when the datagram was truncated.
     *
     * @throws NativeCallException with {@code ENOBUFS} when the kernel dropped messages because
     *         the receive buffer was full
     */
    public int receive(int timeoutMillis) throws NativeCallException {
        if (timeoutMillis > 0 && Libc.poll(callState, pollfd, 1, timeoutMillis) == 0) {
            return -1;
        }
        return (int) Libc.recv(callState, fd, buffer, Libc.MSG_DONTWAIT | Libc.MSG_TRUNC);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Libc.close(fd);
            arena.close();
        }
    }
}
