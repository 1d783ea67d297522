package io.cnm4j.linux.internal.dns;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The libc socket, mmap and poll calls of the DNS packet socket, bound through the FFM API. Every
 * failing call becomes a {@link PacketSocketException} naming the call and its errno; nothing
 * above this class sees errno or a raw return code.
 *
 * <p>An instance holds the segment into which the calls capture errno, so it must not be used by
 * two threads at once; its owner ({@link PacketSocket}) hands it from the opening thread to the
 * capture thread and then to the closing thread, never concurrently.
 */
final class PacketSocketNative {
    /** Generic Linux ABI values, shared by x86_64 and aarch64. */
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_ATTACH_FILTER = 26;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int TPACKET_V3 = 2;
    static final int ETH_P_ALL = 0x0003;
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final int POLLIN = 0x0001;
    static final int POLLERR = 0x0008;
    static final int MSG_TRUNC = 0x20;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    /** struct sockaddr_ll: family u16, protocol be16, ifindex s32, hatype u16, pkttype u8, halen u8, addr[8]. */
    static final int SOCKADDR_LL_SIZE = 20;
    static final int SLL_PROTOCOL_OFFSET = 2;
    static final int SLL_IFINDEX_OFFSET = 4;
    static final int SLL_HATYPE_OFFSET = 8;
    static final int SLL_PKTTYPE_OFFSET = 10;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_CAPTURE = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = bind("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_CAPTURE);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO_CAPTURE);
    private static final MethodHandle GETSOCKOPT = bind("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), ERRNO_CAPTURE);
    private static final MethodHandle BIND = bind("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO_CAPTURE);
    private static final MethodHandle RECVFROM = bind("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), ERRNO_CAPTURE);
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO_CAPTURE);
    private static final MethodHandle MUNMAP = bind("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_CAPTURE);
    private static final MethodHandle POLL = bind("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_CAPTURE);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    /** glibc 2.32+ only; elsewhere errors read "errno N (text)". */
    private static final Optional<MethodHandle> STRERRORNAME_NP = LIBC.find("strerrorname_np")
            .map(symbol -> LINKER.downcallHandle(symbol, FunctionDescriptor.of(ADDRESS, JAVA_INT)));

    private final MemorySegment callState = Arena.ofAuto().allocate(Linker.Option.captureStateLayout());
    // Scratch for the pollfd and the socklen_t in/out arguments, reused by every call.
    private final MemorySegment scratch = Arena.ofAuto().allocate(16, 8);

    /** Opens a socket; returns its descriptor. */
    int socket(int domain, int type, int protocol, String description) throws PacketSocketException {
        try {
            return check(description, (int) SOCKET.invokeExact(callState, domain, type, protocol));
        } catch (PacketSocketException e) {
            throw e;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Sets a socket option from {@code value}'s bytes. */
    void setsockopt(int fd, int level, int option, MemorySegment value, String description)
            throws PacketSocketException {
        try {
            check(description, (int) SETSOCKOPT.invokeExact(callState, fd, level, option, value, (int) value.byteSize()));
        } catch (PacketSocketException e) {
            throw e;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Sets an {@code int} socket option. */
    void setsockopt(int fd, int level, int option, int value, String description) throws PacketSocketException {
        MemorySegment integer = scratch.asSlice(0, 4);
        integer.set(JAVA_INT, 0, value);
        setsockopt(fd, level, option, integer, description);
    }

    /** Reads a socket option into {@code value}; returns the length the kernel wrote. */
    int getsockopt(int fd, int level, int option, MemorySegment value, String description)
            throws PacketSocketException {
        MemorySegment length = scratch.asSlice(0, 4);
        length.set(JAVA_INT, 0, (int) value.byteSize());
        try {
            check(description, (int) GETSOCKOPT.invokeExact(callState, fd, level, option, value, length));
            return length.get(JAVA_INT, 0);
        } catch (PacketSocketException e) {
            throw e;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Binds to a socket address. */
    void bind(int fd, MemorySegment address, String description) throws PacketSocketException {
        try {
            check(description, (int) BIND.invokeExact(callState, fd, address, (int) address.byteSize()));
        } catch (PacketSocketException e) {
            throw e;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /**
     * Receives one packet into {@code buffer} and its sender address into {@code address}. The
     * capture reads through the ring instead; this serves the recvfrom comparison among the tests.
     *
     * @return the packet's length (its full length with {@link #MSG_TRUNC}, even when longer than the
     *         buffer), or -1 when the receive timed out or was interrupted
     */
    long recvfrom(int fd, MemorySegment buffer, int flags, MemorySegment address) throws PacketSocketException {
        MemorySegment length = scratch.asSlice(0, 4);
        length.set(JAVA_INT, 0, (int) address.byteSize());
        try {
            long received = (long) RECVFROM.invokeExact(callState, fd, buffer, buffer.byteSize(), flags, address, length);
            if (received < 0) {
                int errno = errno();
                if (errno == EAGAIN || errno == EINTR) {
                    return -1;
                }
                throw new PacketSocketException("recvfrom(packet socket)", errno);
            }
            return received;
        } catch (PacketSocketException e) {
            throw e;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Maps {@code length} bytes of the socket's ring, shared and writable. */
    MemorySegment mmap(int fd, long length, String description) throws PacketSocketException {
        try {
            MemorySegment address = (MemorySegment) MMAP.invokeExact(callState, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
            // MAP_FAILED is (void *) -1.
            if (address.address() == -1L) {
                throw new PacketSocketException(description, errno());
            }
            return address.reinterpret(length);
        } catch (PacketSocketException e) {
            throw e;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Unmaps a mapping made by {@link #mmap}; a failure is ignored because nothing could be done about it. */
    void munmap(MemorySegment mapping) {
        try {
            int ignored = (int) MUNMAP.invokeExact(callState, mapping, mapping.byteSize());
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /**
     * Waits until the socket is readable or the timeout passes.
     *
     * @return true when readable (or in error, which the next receive reports); false on timeout or interruption
     */
    boolean pollReadable(int fd, int timeoutMillis) throws PacketSocketException {
        // struct pollfd { int fd; short events; short revents; }
        MemorySegment pollFd = scratch.asSlice(0, 8);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, (short) (POLLIN | POLLERR));
        pollFd.set(JAVA_SHORT, 6, (short) 0);
        try {
            int ready = (int) POLL.invokeExact(callState, pollFd, 1L, timeoutMillis);
            if (ready < 0) {
                int errno = errno();
                if (errno == EINTR) {
                    return false;
                }
                throw new PacketSocketException("poll(packet socket)", errno);
            }
            return ready > 0;
        } catch (PacketSocketException e) {
            throw e;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Closes a descriptor; an error is ignored because Linux releases the descriptor either way. */
    void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** {@code NAME (text)}, for example {@code EPERM (Operation not permitted)}. */
    static String describeErrno(int errno) {
        try {
            String text = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(Long.MAX_VALUE).getString(0);
            String name = "errno " + errno;
            if (STRERRORNAME_NP.isPresent()) {
                MemorySegment symbol = (MemorySegment) STRERRORNAME_NP.get().invokeExact(errno);
                if (!symbol.equals(MemorySegment.NULL)) {
                    name = symbol.reinterpret(Long.MAX_VALUE).getString(0);
                }
            }
            return name + " (" + text + ")";
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    private int check(String description, int result) throws PacketSocketException {
        if (result < 0) {
            throw new PacketSocketException(description, errno());
        }
        return result;
    }

    private int errno() {
        return (int) ERRNO.get(callState, 0L);
    }

    private static MethodHandle bind(String function, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(function)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc lacks " + function));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A native function cannot throw a checked exception; only unchecked ones can come out of invokeExact. */
    private static RuntimeException propagate(Throwable thrown) {
        if (thrown instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("unexpected checked exception from a native call", thrown);
    }
}
