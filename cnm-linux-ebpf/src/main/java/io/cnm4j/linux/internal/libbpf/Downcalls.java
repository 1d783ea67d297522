package io.cnm4j.linux.internal.libbpf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/** Binding helpers shared by {@link LibBpf} and {@link LibC}. Stateless and thread-safe. */
final class Downcalls {

    static final Linker LINKER = Linker.nativeLinker();

    /** Reads errno out of a segment filled by a call bound with {@code captureCallState("errno")}. */
    static final VarHandle CAPTURED_ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Downcalls() {
    }

    static MethodHandle bind(SymbolLookup library, String libraryName, String function,
            FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = library.find(function)
                .orElseThrow(() -> new UnsatisfiedLinkError(libraryName + " lacks " + function));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    static int capturedErrno(MemorySegment callState) {
        return (int) CAPTURED_ERRNO.get(callState, 0L);
    }

    /**
     * Rethrows what {@code invokeExact} declared: a native function cannot throw, so only unchecked
     * throwables (a wrong argument, an out-of-memory) can come out of it.
     */
    static RuntimeException propagate(Throwable thrown) {
        if (thrown instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("unexpected checked exception from a native call", thrown);
    }
}
