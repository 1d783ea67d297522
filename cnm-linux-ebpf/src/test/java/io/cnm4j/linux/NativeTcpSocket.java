package io.cnm4j.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * A blocking TCP socket driven through libc, for what {@link java.net.Socket} cannot do: set
 * {@code TCP_USER_TIMEOUT}/{@code TCP_SYNCNT}, see the errno of a failed {@code connect}, and read
 * {@code TCP_INFO}. Test-only.
 *
 * <p>Owns one file descriptor, released by {@link #close()} (idempotent). Not thread-safe: one
 * thread at a time, any thread.
 */
final class NativeTcpSocket implements AutoCloseable {
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int TCP_SYNCNT = 7;
    static final int TCP_USER_TIMEOUT = 18;

    static final int ETIMEDOUT = 110;

    /* Generic Linux ABI values, the same on x86_64 and aarch64. */
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int TCP_INFO = 11;
    private static final int EINTR = 4;
    private static final int SOCKADDR_IN_BYTES = 16;
    private static final int SOCKADDR_IN6_BYTES = 28;
    private static final ValueLayout.OfShort NETWORK_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = withErrno("socket", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = withErrno("setsockopt", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = withErrno("getsockopt", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle BIND = withErrno("bind", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = withErrno("connect", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = withErrno("getsockname", FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SEND = withErrno("send", FunctionDescriptor.of(JAVA_LONG,
            JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = withErrno("recv", FunctionDescriptor.of(JAVA_LONG,
            JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(symbol("close"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(symbol("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private final boolean v4;
    private int fd;

    private NativeTcpSocket(int fd, boolean v4) {
        this.fd = fd;
        this.v4 = v4;
    }

    /** A new unconnected TCP socket of the family of {@code address}. */
    static NativeTcpSocket open(java.net.InetAddress address) {
        boolean v4 = address instanceof Inet4Address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) SOCKET.invokeExact(state, v4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw failure("socket", state);
            }
            return new NativeTcpSocket(fd, v4);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** {@code setsockopt} of an {@code int} option. */
    void setIntOption(int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment optionValue = arena.allocateFrom(JAVA_INT, value);
            if ((int) SETSOCKOPT.invokeExact(state, fd, level, option, optionValue, Integer.BYTES) != 0) {
                throw failure("setsockopt(" + level + ", " + option + ")", state);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void bind(InetSocketAddress local) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment address = sockaddr(arena, local);
            if ((int) BIND.invokeExact(state, fd, address, (int) address.byteSize()) != 0) {
                throw failure("bind(" + local + ")", state);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /**
     * A blocking {@code connect}.
     *
     * @return 0 once connected, else the errno it failed with (a failure is what some tests want)
     */
    int connect(InetSocketAddress remote) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment address = sockaddr(arena, remote);
            int result = (int) CONNECT.invokeExact(state, fd, address, (int) address.byteSize());
            return result == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** The local port, once bound or connected. */
    int localPort() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment address = arena.allocate(SOCKADDR_IN6_BYTES);
            MemorySegment length = arena.allocateFrom(JAVA_INT, SOCKADDR_IN6_BYTES);
            if ((int) GETSOCKNAME.invokeExact(state, fd, address, length) != 0) {
                throw failure("getsockname", state);
            }
            // sin_port and sin6_port share offset 2
            return Short.toUnsignedInt(address.get(NETWORK_SHORT, 2));
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Sends every byte, in as many {@code send} calls as the kernel needs. */
    void sendFully(byte[] data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, data);
            long sent = 0;
            while (sent < data.length) {
                long n = (long) SEND.invokeExact(state, fd, buffer.asSlice(sent), data.length - sent, 0);
                if (n < 0 && (int) ERRNO.get(state, 0L) != EINTR) {
                    throw failure("send", state);
                }
                sent += Math.max(n, 0);
            }
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** Receives exactly {@code length} bytes and drops them; fails if the peer closes first. */
    void receiveFully(int length) throws EOFException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buffer = arena.allocate(length);
            long received = 0;
            while (received < length) {
                long n = (long) RECV.invokeExact(state, fd, buffer.asSlice(received), length - received, 0);
                if (n == 0) {
                    throw new EOFException("peer closed after " + received + " of " + length + " bytes");
                }
                if (n < 0 && (int) ERRNO.get(state, 0L) != EINTR) {
                    throw failure("recv", state);
                }
                received += Math.max(n, 0);
            }
        } catch (EOFException e) {
            throw e;
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    /** {@code getsockopt(IPPROTO_TCP, TCP_INFO)} now. */
    TcpInfo tcpInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment info = arena.allocate(TcpInfo.BYTES, Long.BYTES);
            MemorySegment length = arena.allocateFrom(JAVA_INT, TcpInfo.BYTES);
            if ((int) GETSOCKOPT.invokeExact(state, fd, IPPROTO_TCP, TCP_INFO, info, length) != 0) {
                throw failure("getsockopt(TCP_INFO)", state);
            }
            int filled = length.get(JAVA_INT, 0);
            if (filled < TcpInfo.MINIMUM_BYTES) {
                throw new IllegalStateException("getsockopt(TCP_INFO) returned only " + filled + " bytes");
            }
            return TcpInfo.read(info);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    @Override
    public void close() {
        if (fd < 0) {
            return;
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw propagate(t);
        } finally {
            fd = -1;
        }
    }

    private MemorySegment sockaddr(Arena arena, InetSocketAddress socketAddress) {
        byte[] ip = socketAddress.getAddress().getAddress();
        if ((ip.length == 4) != v4) {
            throw new IllegalArgumentException(socketAddress + " is not of this socket's family");
        }
        MemorySegment address = arena.allocate(v4 ? SOCKADDR_IN_BYTES : SOCKADDR_IN6_BYTES);
        address.set(JAVA_SHORT, 0, (short) (v4 ? AF_INET : AF_INET6));
        address.set(NETWORK_SHORT, 2, (short) socketAddress.getPort());
        // sin_addr at 4; sin6_addr at 8, after sin6_flowinfo
        MemorySegment.copy(ip, 0, address, JAVA_BYTE, v4 ? 4 : 8, ip.length);
        return address;
    }

    private static IllegalStateException failure(String call, MemorySegment state) {
        int errno = (int) ERRNO.get(state, 0L);
        String text;
        try {
            text = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "?";
        }
        return new IllegalStateException(call + " failed: errno " + errno + " (" + text + ")");
    }

    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
    }
}
