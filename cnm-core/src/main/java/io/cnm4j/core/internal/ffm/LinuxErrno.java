package io.cnm4j.core.internal.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The Linux errno numbers the native bindings react to (generic Linux ABI, shared by x86_64 and
 * aarch64), and the {@code NAME (text)} description of any errno that {@link NativeCallException}
 * puts in its message. Not to be confused with {@code io.cnm4j.core.Errno}, the API's enum of the
 * errors a failed TCP connection is reported with. Stateless and thread-safe.
 */
public final class LinuxErrno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int ENOBUFS = 105;
    /** Kernel-internal "not supported" that leaks out of some BPF commands on older kernels. */
    public static final int ENOTSUPP = 524;

    private LinuxErrno() {
    }

    /**
     * {@code NAME (text)}, for example {@code EPERM (Operation not permitted)}; the sign is ignored.
     * The name comes from glibc 2.32+ ({@code strerrorname_np}); elsewhere it reads {@code errno N}.
     */
    public static String describe(int errno) {
        int positive = Math.abs(errno);
        return name(positive).orElse("errno " + positive) + " (" + text(positive) + ")";
    }

    /** The symbolic name of an errno ({@code EPERM}), when the C library can tell. */
    public static Optional<String> name(int errno) {
        if (Descriptions.STRERRORNAME_NP.isEmpty()) {
            return Optional.empty();
        }
        try {
            MemorySegment name = (MemorySegment) Descriptions.STRERRORNAME_NP.get().invokeExact(Math.abs(errno));
            return Optional.ofNullable(NativeLibrary.string(name));
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /**
     * The C library's text of an errno. glibc (2.32+) and musl return immutable strings, so the
     * result is read without a lock.
     */
    public static String text(int errno) {
        try {
            return NativeLibrary.string((MemorySegment) Descriptions.STRERROR.invokeExact(Math.abs(errno)));
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** True for the answers a kernel gives when a map type or kernel version lacks an operation. */
    public static boolean meansUnsupported(int errno) {
        int positive = Math.abs(errno);
        return positive == EINVAL || positive == EOPNOTSUPP || positive == ENOTSUPP;
    }

    private static final class Descriptions {
        private static final NativeLibrary LIBC = NativeLibrary.libc();
        static final MethodHandle STRERROR = LIBC.downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final Optional<MethodHandle> STRERRORNAME_NP = LIBC.optionalDowncall("strerrorname_np",
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }
}
