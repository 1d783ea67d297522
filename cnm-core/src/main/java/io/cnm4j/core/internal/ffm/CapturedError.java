package io.cnm4j.core.internal.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Where a failing native call leaves its error number, captured by the linker right after the call:
 * reading it later from Java would see whatever the JVM's own native calls left there since.
 *
 * <p>A downcall bound with {@link NativeLibrary#downcall(String, java.lang.foreign.FunctionDescriptor,
 * CapturedError)} takes a call-state segment ({@link #allocateState}) as its first argument; after
 * the call, {@link #read} gives the value. Stateless; a call-state segment serves one call at a time.
 */
public enum CapturedError {
    /** The C library's {@code errno} (Linux and other POSIX systems). */
    ERRNO("errno"),
    /** Win32 {@code GetLastError()} (Windows only). */
    LAST_ERROR("GetLastError");

    private final String stateName;

    CapturedError(String stateName) {
        this.stateName = stateName;
    }

    /** The linker option that makes a downcall capture this value. */
    Linker.Option linkerOption() {
        return Linker.Option.captureCallState(stateName);
    }

    /** A call-state segment in {@code arena}, large enough for everything this platform captures. */
    public static MemorySegment allocateState(Arena arena) {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    /** The value the last call bound with this capture wrote into {@code callState}. */
    public int read(MemorySegment callState) {
        VarHandle value = this == ERRNO ? ErrnoValue.HANDLE : LastErrorValue.HANDLE;
        return (int) value.get(callState, 0L);
    }

    /** Bound on first use: the platform's capture layout only names what the platform has. */
    private static final class ErrnoValue {
        static final VarHandle HANDLE = valueHandle(ERRNO.stateName);
    }

    private static final class LastErrorValue {
        static final VarHandle HANDLE = valueHandle(LAST_ERROR.stateName);
    }

    private static VarHandle valueHandle(String stateName) {
        return Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement(stateName));
    }
}
