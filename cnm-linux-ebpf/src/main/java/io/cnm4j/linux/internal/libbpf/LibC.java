package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few libc functions the libbpf bindings need: formatting libbpf's log lines, opening a cgroup
 * directory, and naming errno values.
 *
 * <p>Stateless; every method is thread-safe.
 */
final class LibC {

    /** Both values come from the generic Linux ABI shared by x86_64 and aarch64. */
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private static final SymbolLookup LIBC = Downcalls.LINKER.defaultLookup();

    /*
     * vasprintf rather than vsnprintf: a va_list can be walked only once, so a fixed buffer would
     * truncate the long verifier logs libbpf prints, with no way to retry at the right size.
     */
    private static final MethodHandle VASPRINTF = downcall("vasprintf",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FREE = downcall("free", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    /** glibc 2.32+ only; other libcs fall back to "errno N". */
    private static final Optional<MethodHandle> STRERRORNAME_NP = LIBC.find("strerrorname_np")
            .map(symbol -> Downcalls.LINKER.downcallHandle(symbol, FunctionDescriptor.of(ADDRESS, JAVA_INT)));

    private LibC() {
    }

    /**
     * Formats a printf format with its arguments, as the callee of a C variadic function received them.
     *
     * @param format the {@code const char *} format
     * @param arguments the {@code va_list}, passed through untouched; it is consumed
     * @return the formatted text, or the raw format if formatting failed
     */
    static String format(MemorySegment format, MemorySegment arguments) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment result = arena.allocate(ADDRESS);
            int length = (int) VASPRINTF.invokeExact(result, format, arguments);
            if (length < 0) {
                return format.reinterpret(Long.MAX_VALUE).getString(0);
            }
            MemorySegment text = result.get(ADDRESS, 0);
            try {
                return text.reinterpret(length + 1L).getString(0);
            } finally {
                FREE.invokeExact(text);
            }
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /**
     * Opens a directory read-only, as BPF attach calls want for a cgroup.
     *
     * @return the new file descriptor; the caller owns it and must {@link #close(int)} it
     */
    static int openDirectory(Path directory) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(Linker.Option.captureStateLayout());
            int fd = (int) OPEN.invokeExact(callState, arena.allocateFrom(directory.toString()),
                    O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw BpfException.ofErrno("open(" + directory + ")", Downcalls.capturedErrno(callState));
            }
            return fd;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** Closes a file descriptor; an error is ignored because the descriptor is released either way on Linux. */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** The symbolic name of an errno ({@code EPERM}), when the libc can tell. */
    static Optional<String> errnoName(int errno) {
        if (STRERRORNAME_NP.isEmpty()) {
            return Optional.empty();
        }
        try {
            MemorySegment name = (MemorySegment) STRERRORNAME_NP.get().invokeExact(errno);
            return name.equals(MemorySegment.NULL)
                    ? Optional.empty()
                    : Optional.of(name.reinterpret(Long.MAX_VALUE).getString(0));
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /**
     * The libc text of an errno; used only when libbpf itself is missing. glibc (2.32+) and musl
     * return immutable strings here, so the result can be read without a lock.
     */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return Downcalls.bind(LIBC, "libc", name, descriptor, options);
    }
}
