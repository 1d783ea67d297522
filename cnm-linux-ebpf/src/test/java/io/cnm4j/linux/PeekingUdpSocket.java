package io.cnm4j.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * An IPv4 UDP socket bound to 127.0.0.1 and opened through libc, because
 * {@link java.nio.channels.DatagramChannel} cannot receive with {@code MSG_PEEK}. Test-only.
 *
 * <p>Owns its file descriptor, freed by {@link #close()} (idempotent). One thread at a time.
 */
final class PeekingUdpSocket implements AutoCloseable {
    /* Generic Linux ABI values, shared by x86_64 and aarch64. */
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int MSG_PEEK = 2;
    private static final int LOOPBACK = 0x7f00_0001;
    private static final long RECEIVE_TIMEOUT_SECONDS = 5;

    /** struct sockaddr_in: family in host order, port and address in network order. */
    private static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("sin_family"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin_port"),
            ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("sin_addr"),
            MemoryLayout.paddingLayout(8));
    private static final VarHandle SIN_FAMILY = field("sin_family");
    private static final VarHandle SIN_PORT = field("sin_port");
    private static final VarHandle SIN_ADDR = field("sin_addr");

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(
            PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = bind("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = bind("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment errnoState = arena.allocate(ERRNO_STATE);
    private final int fd;
    private final int port;
    private boolean closed;

    private PeekingUdpSocket() {
        int socket = -1;
        try {
            socket = (int) SOCKET.invokeExact(errnoState, AF_INET, SOCK_DGRAM, 0);
            check(socket, "socket");
            MemorySegment timeout = arena.allocate(JAVA_LONG, 2);
            timeout.setAtIndex(JAVA_LONG, 0, RECEIVE_TIMEOUT_SECONDS);
            check((int) SETSOCKOPT.invokeExact(errnoState, socket, SOL_SOCKET, SO_RCVTIMEO, timeout,
                    (int) timeout.byteSize()), "setsockopt(SO_RCVTIMEO)");
            MemorySegment address = arena.allocate(SOCKADDR_IN);
            SIN_FAMILY.set(address, 0L, (short) AF_INET);
            SIN_PORT.set(address, 0L, (short) 0);
            SIN_ADDR.set(address, 0L, LOOPBACK);
            check((int) BIND.invokeExact(errnoState, socket, address, (int) SOCKADDR_IN.byteSize()), "bind");
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) SOCKADDR_IN.byteSize());
            check((int) GETSOCKNAME.invokeExact(errnoState, socket, address, length), "getsockname");
            this.port = Short.toUnsignedInt((short) SIN_PORT.get(address, 0L));
            this.fd = socket;
        } catch (Throwable t) {
            if (socket >= 0) {
                closeFd(socket);
            }
            arena.close();
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /** A new socket bound to 127.0.0.1 on an ephemeral port. */
    static PeekingUdpSocket bindLoopback() {
        return new PeekingUdpSocket();
    }

    int port() {
        return port;
    }

    /** Returns the size of the next datagram and leaves it queued ({@code MSG_PEEK}), asking for its sender. */
    int peek(int capacity) {
        return receive(capacity, MSG_PEEK, true, "recvfrom(MSG_PEEK)");
    }

    /** Takes the next datagram off the queue and returns its size, asking for its sender (as servers do). */
    int receive(int capacity) {
        return receive(capacity, 0, true, "recvfrom");
    }

    /** Takes the next datagram off the queue and returns its size, without asking who sent it ({@code recv}). */
    int receiveWithoutSender(int capacity) {
        return receive(capacity, 0, false, "recv");
    }

    private int receive(int capacity, int flags, boolean withSender, String call) {
        MemorySegment buffer = arena.allocate(capacity);
        MemorySegment sender = withSender ? arena.allocate(SOCKADDR_IN) : MemorySegment.NULL;
        MemorySegment senderLength = withSender ? arena.allocate(JAVA_INT) : MemorySegment.NULL;
        if (withSender) {
            senderLength.set(JAVA_INT, 0, (int) SOCKADDR_IN.byteSize());
        }
        try {
            long received = (long) RECVFROM.invokeExact(errnoState, fd, buffer, (long) capacity, flags,
                    sender, senderLength);
            check((int) received, call);
            return (int) received;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void check(int result, String call) {
        if (result < 0) {
            throw new IllegalStateException(call + " failed: errno " + (int) ERRNO.get(errnoState, 0L));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeFd(fd);
        } finally {
            arena.close();
        }
    }

    private void closeFd(int socket) {
        try {
            check((int) CLOSE.invokeExact(errnoState, socket), "close");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static VarHandle field(String name) {
        return SOCKADDR_IN.varHandle(PathElement.groupElement(name));
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }
}
