package io.cnm4j.linux.internal.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc socket, namespace and file calls of the netlink code. Every failure becomes a
 * {@link NativeCallException} naming the call and its errno; nothing above sees a raw return
 * code. Each call captures errno into a call-state segment the caller owns
 * ({@link #allocateCallState}), so one segment must not be used by two threads at once.
 */
public final class Libc {
    /** Generic Linux ABI values, shared by x86_64 and aarch64. */
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_TRUNC = 0x20;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int POLLIN = 0x0001;

    private static final MethodHandle SOCKET = libc("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = libc("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = libc("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = libc("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = libc("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = libc("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = libc("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = libc("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = NativeBinding.bind(NativeBinding.libc(), "close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = NativeBinding.bind(NativeBinding.libc(), "strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle libc(String function, FunctionDescriptor descriptor) {
        return NativeBinding.bindWithErrno(NativeBinding.libc(), function, descriptor);
    }

    /** A segment for the errno of calls made by one thread at a time, freed with {@code arena}. */
    public static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(NativeBinding.callStateLayout());
    }

    public static int socket(MemorySegment state, int domain, int type, int protocol) throws NativeCallException {
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(state, domain, type, protocol);
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
        return check("socket", state, fd);
    }

    public static void bind(MemorySegment state, int fd, MemorySegment address) throws NativeCallException {
        int result;
        try {
            result = (int) BIND.invokeExact(state, fd, address, (int) address.byteSize());
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
        check("bind", state, result);
    }

    /** Sends {@code length} bytes of {@code message} to {@code address}; returns the bytes sent. */
    public static long sendto(MemorySegment state, int fd, MemorySegment message, long length, MemorySegment address)
            throws NativeCallException {
        long result;
        try {
            result = (long) SENDTO.invokeExact(state, fd, message, length, 0, address, (int) address.byteSize());
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
        if (result < 0) {
            throw new NativeCallException("sendto", NativeBinding.errno(state));
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
            result = (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), flags);
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
        if (result < 0) {
            int errno = NativeBinding.errno(state);
            if (errno == ErrnoNames.EAGAIN || errno == ErrnoNames.EINTR) {
                return -1;
            }
            throw new NativeCallException("recv", errno);
        }
        return result;
    }

    public static void setsockoptInt(MemorySegment state, int fd, int level, int option, int value)
            throws NativeCallException {
        int result;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment holder = arena.allocate(JAVA_INT);
            holder.set(JAVA_INT, 0, value);
            result = (int) SETSOCKOPT.invokeExact(state, fd, level, option, holder, (int) JAVA_INT.byteSize());
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
        check("setsockopt", state, result);
    }

    /** Moves the calling thread into the namespace {@code fd} refers to. */
    public static void setns(MemorySegment state, int fd, int type) throws NativeCallException {
        int result;
        try {
            result = (int) SETNS.invokeExact(state, fd, type);
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
        check("setns", state, result);
    }

    /** Opens a file read-only, close-on-exec, and returns its descriptor. */
    public static int openReadOnly(MemorySegment state, String path) throws NativeCallException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC);
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
        return check("open " + path, state, fd);
    }

    /**
     * Waits until one of {@code count} {@code struct pollfd} entries (fd s32, events s16, revents
     * s16) is ready; returns the number ready, 0 on timeout or interruption.
     */
    public static int poll(MemorySegment state, MemorySegment pollfds, int count, int timeoutMillis)
            throws NativeCallException {
        int result;
        try {
            result = (int) POLL.invokeExact(state, pollfds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
        if (result < 0) {
            int errno = NativeBinding.errno(state);
            if (errno == ErrnoNames.EINTR) {
                return 0;
            }
            throw new NativeCallException("poll", errno);
        }
        return result;
    }

    /** Closes a descriptor; errors are not reported because the descriptor is released either way. */
    public static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw NativeBinding.propagate(t);
        }
    }

    private static int check(String call, MemorySegment state, int result) throws NativeCallException {
        if (result < 0) {
            throw new NativeCallException(call, NativeBinding.errno(state));
        }
        return result;
    }
}
