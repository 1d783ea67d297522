package io.cnm4j.linux.internal.nativeio;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one way this module binds a native function: symbol lookup, downcall handle, optionally
 * with errno captured right after the call (reading errno later from Java would see whatever
 * the JVM's own calls left there). Stateless and thread-safe; meant for libc here and for
 * libbpf and the packet socket when they move onto it.
 */
final class NativeBinding {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private NativeBinding() {
    }

    /** The C library's symbols (the linker's default lookup). */
    public static SymbolLookup libc() {
        return LINKER.defaultLookup();
    }

    /** Binds a function whose failures set errno; the handle takes the call-state segment first. */
    public static MethodHandle bindWithErrno(SymbolLookup library, String function, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(library, function), descriptor, CAPTURE_ERRNO);
    }

    /** Binds a function that reports no errno. */
    public static MethodHandle bind(SymbolLookup library, String function, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(library, function), descriptor);
    }

    private static MemorySegment find(SymbolLookup library, String function) {
        return library.find(function).orElseThrow(() -> new UnsatisfiedLinkError("no native symbol " + function));
    }

    /** Bytes and alignment of the segment a call captures errno into. */
    public static MemoryLayout callStateLayout() {
        return Linker.Option.captureStateLayout();
    }

    /** The errno a call bound by {@link #bindWithErrno} left in its call-state segment. */
    public static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /**
     * What {@code invokeExact} declared: a native function cannot throw, so only unchecked
     * throwables (a wrong argument, an out-of-memory) can come out of it.
     */
    public static RuntimeException propagate(Throwable thrown) {
        if (thrown instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("unexpected checked exception from a native call", thrown);
    }
}
