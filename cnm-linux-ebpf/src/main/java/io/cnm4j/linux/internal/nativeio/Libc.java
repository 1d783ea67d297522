package io.cnm4j.linux.internal.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.cnm4j.core.internal.ffm.CapturedError;
import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import io.cnm4j.core.internal.ffm.StructOffsets;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls of the Linux module: sockets (netlink, the packet socket), namespaces, files,
 * memory mappings and the formatting of libbpf's log. Every failure becomes a
 * {@link NativeCallException} naming the call and its errno; nothing above sees a raw return code.
 *
 * <p>Calls that can fail capture errno into a call-state segment the caller owns
 * ({@link #allocateCallState}), so one segment must not serve two threads at once. The handles
 * live in one holder class per group of functions, linked on first use. Stateless and thread-safe.
 */
public final class Libc {
    /** Generic Linux ABI values, shared by x86_64 and aarch64. */
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int POLLIN = 0x0001;
    public static final int POLLERR = 0x0008;
    private static final int PROT_READ = 0x1;
    private static final int PROT_WRITE = 0x2;
    private static final int MAP_SHARED = 0x01;
    /** mmap's {@code MAP_FAILED}, {@code (void *) -1}. */
    private static final long MAP_FAILED = -1L;

    /** {@code struct pollfd} (poll.h). */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"),
            JAVA_SHORT.withName("events"),
            JAVA_SHORT.withName("revents"));
    public static final int POLLFD_BYTES = StructOffsets.size(POLLFD);
    public static final int POLLFD_FD = StructOffsets.offset(POLLFD, "fd");
    public static final int POLLFD_EVENTS = StructOffsets.offset(POLLFD, "events");
    public static final int POLLFD_REVENTS = StructOffsets.offset(POLLFD, "revents");

    private static final NativeLibrary LIBC = NativeLibrary.libc();

    private Libc() {
    }

    /** A segment for the errno of calls made by one thread at a time, freed with {@code arena}. */
    public static MemorySegment allocateCallState(Arena arena) {
        return CapturedError.allocateState(arena);
    }

    /** Opens a socket; returns its descriptor, which the caller owns. */
    public static int socket(MemorySegment state, int domain, int type, int protocol, String call)
            throws NativeCallException {
        try {
            return check(call, state, (int) Sockets.SOCKET.invokeExact(state, domain, type, protocol));
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** Binds a socket to the address {@code address} holds, all of its bytes. */
    public static void bind(MemorySegment state, int fd, MemorySegment address, String call)
            throws NativeCallException {
        try {
            check(call, state, (int) Sockets.BIND.invokeExact(state, fd, address, (int) address.byteSize()));
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** Sets a socket option from all of {@code value}'s bytes. */
    public static void setsockopt(MemorySegment state, int fd, int level, int option, MemorySegment value,
            String call) throws NativeCallException {
        try {
            check(call, state, (int) Sockets.SETSOCKOPT.invokeExact(state, fd, level, option, value,
                    (int) value.byteSize()));
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** Sets an {@code int} socket option. */
    public static void setsockoptInt(MemorySegment state, int fd, int level, int option, int value, String call)
            throws NativeCallException {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(state, fd, level, option, arena.allocateFrom(JAVA_INT, value), call);
        }
    }

    /**
     * Reads a socket option into {@code value}.
     *
     * @param length scratch for the {@code socklen_t} in/out argument
     * @return the length the kernel wrote
     */
    public static int getsockopt(MemorySegment state, int fd, int level, int option, MemorySegment value,
            MemorySegment length, String call) throws NativeCallException {
        length.set(JAVA_INT, 0, (int) value.byteSize());
        try {
            check(call, state, (int) Sockets.GETSOCKOPT.invokeExact(state, fd, level, option, value, length));
            return length.get(JAVA_INT, 0);
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** Sends {@code length} bytes of {@code message} to {@code address}; returns the bytes sent. */
    public static long sendto(MemorySegment state, int fd, MemorySegment message, long length, MemorySegment address)
            throws NativeCallException {
        long result;
        try {
            result = (long) Sockets.SENDTO.invokeExact(state, fd, message, length, 0, address,
                    (int) address.byteSize());
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        if (result < 0) {
            throw new NativeCallException("sendto", errno(state));
        }
        return result;
    }

    /**
     * Receives into {@code buffer}; returns the length received (with {@link #MSG_TRUNC}, the
     * full length even when the buffer was shorter), or -1 when {@link #MSG_DONTWAIT} found
     * nothing to read or a signal interrupted the call.
     */
    public static long recv(MemorySegment state, int fd, MemorySegment buffer, int flags) throws NativeCallException {
        long result;
        try {
            result = (long) Sockets.RECV.invokeExact(state, fd, buffer, buffer.byteSize(), flags);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        return receivedOrNothing("recv", state, result);
    }

    /**
     * Like {@link #recv}, and writes the sender's address into {@code address}.
     *
     * @param addressLength scratch for the {@code socklen_t} in/out argument
     */
    public static long recvfrom(MemorySegment state, int fd, MemorySegment buffer, int flags, MemorySegment address,
            MemorySegment addressLength) throws NativeCallException {
        addressLength.set(JAVA_INT, 0, (int) address.byteSize());
        long result;
        try {
            result = (long) Sockets.RECVFROM.invokeExact(state, fd, buffer, buffer.byteSize(), flags, address,
                    addressLength);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        return receivedOrNothing("recvfrom", state, result);
    }

    /** Moves the calling thread into the namespace {@code fd} refers to. */
    public static void setns(MemorySegment state, int fd, int type) throws NativeCallException {
        try {
            check("setns", state, (int) Files.SETNS.invokeExact(state, fd, type));
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** Opens a file or directory read-only, close-on-exec; returns its descriptor, which the caller owns. */
    public static int openReadOnly(MemorySegment state, String path) throws NativeCallException {
        try (Arena arena = Arena.ofConfined()) {
            return check("open(" + path + ")", state,
                    (int) Files.OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC));
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /**
     * Waits until one of {@code count} {@link #POLLFD} entries is ready; returns the number ready,
     * 0 on timeout or interruption.
     */
    public static int poll(MemorySegment state, MemorySegment pollfds, int count, int timeoutMillis)
            throws NativeCallException {
        int result;
        try {
            result = (int) Files.POLL.invokeExact(state, pollfds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        if (result < 0) {
            int errno = errno(state);
            if (errno == LinuxErrno.EINTR) {
                return 0;
            }
            throw new NativeCallException("poll", errno);
        }
        return result;
    }

    /**
     * Reads into {@code buffer}; returns how many bytes, 0 at the end, -1 when there is nothing yet
     * ({@code EAGAIN}). A signal interrupting the call retries it.
     */
    public static long read(MemorySegment state, int fd, MemorySegment buffer, String call) throws NativeCallException {
        while (true) {
            long result;
            try {
                result = (long) Files.READ.invokeExact(state, fd, buffer, buffer.byteSize());
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            if (result >= 0) {
                return result;
            }
            int errno = errno(state);
            if (errno == LinuxErrno.EAGAIN) {
                return -1;
            }
            if (errno != LinuxErrno.EINTR) {
                throw new NativeCallException(call, errno);
            }
        }
    }

    /** Closes a descriptor; errors are not reported because Linux releases the descriptor either way. */
    public static void close(int fd) {
        try {
            int ignored = (int) Files.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** Maps {@code length} bytes of a descriptor, shared and writable; the caller owns the mapping. */
    public static MemorySegment mmapShared(MemorySegment state, int fd, long length, String call)
            throws NativeCallException {
        MemorySegment address;
        try {
            address = (MemorySegment) Memory.MMAP.invokeExact(state, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        if (address.address() == MAP_FAILED) {
            throw new NativeCallException(call, errno(state));
        }
        return address.reinterpret(length);
    }

    /** Unmaps a mapping made by {@link #mmapShared}; a failure is ignored because nothing could be done about it. */
    public static void munmap(MemorySegment mapping) {
        try {
            int ignored = (int) Memory.MUNMAP.invokeExact(mapping, mapping.byteSize());
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /**
     * Formats a printf format with its arguments, as the callee of a C variadic function received them.
     *
     * @param format the {@code const char *} format
     * @param arguments the {@code va_list}, passed through untouched; it is consumed
     * @return the formatted text, or the raw format if formatting failed
     */
    public static String format(MemorySegment format, MemorySegment arguments) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment result = arena.allocate(ADDRESS);
            int length = (int) Memory.VASPRINTF.invokeExact(result, format, arguments);
            if (length < 0) {
                return NativeLibrary.string(format);
            }
            MemorySegment text = result.get(ADDRESS, 0);
            try {
                return text.reinterpret(length + 1L).getString(0);
            } finally {
                Memory.FREE.invokeExact(text);
            }
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    private static int errno(MemorySegment state) {
        return CapturedError.ERRNO.read(state);
    }

    private static int check(String call, MemorySegment state, int result) throws NativeCallException {
        if (result < 0) {
            throw new NativeCallException(call, errno(state));
        }
        return result;
    }

    private static long receivedOrNothing(String call, MemorySegment state, long result) throws NativeCallException {
        if (result < 0) {
            int errno = errno(state);
            if (errno == LinuxErrno.EAGAIN || errno == LinuxErrno.EINTR) {
                return -1;
            }
            throw new NativeCallException(call, errno);
        }
        return result;
    }

    private static final class Sockets {
        static final MethodHandle SOCKET = LIBC.downcall("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CapturedError.ERRNO);
        static final MethodHandle BIND = LIBC.downcall("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CapturedError.ERRNO);
        static final MethodHandle SETSOCKOPT = LIBC.downcall("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CapturedError.ERRNO);
        static final MethodHandle GETSOCKOPT = LIBC.downcall("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CapturedError.ERRNO);
        static final MethodHandle SENDTO = LIBC.downcall("sendto",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
                CapturedError.ERRNO);
        static final MethodHandle RECV = LIBC.downcall("recv",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CapturedError.ERRNO);
        static final MethodHandle RECVFROM = LIBC.downcall("recvfrom",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS),
                CapturedError.ERRNO);
    }

    private static final class Files {
        static final MethodHandle OPEN = LIBC.downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                CapturedError.ERRNO, Linker.Option.firstVariadicArg(2));
        static final MethodHandle CLOSE = LIBC.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle READ = LIBC.downcall("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CapturedError.ERRNO);
        static final MethodHandle SETNS = LIBC.downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
                CapturedError.ERRNO);
        static final MethodHandle POLL = LIBC.downcall("poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CapturedError.ERRNO);
    }

    private static final class Memory {
        static final MethodHandle MMAP = LIBC.downcall("mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
                CapturedError.ERRNO);
        static final MethodHandle MUNMAP = LIBC.downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        /*
         * vasprintf rather than vsnprintf: a va_list can be walked only once, so a fixed buffer would
         * truncate the long verifier logs libbpf prints, with no way to retry at the right size.
         */
        static final MethodHandle VASPRINTF = LIBC.downcall("vasprintf",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle FREE = LIBC.downcall("free", FunctionDescriptor.ofVoid(ADDRESS));
    }
}
