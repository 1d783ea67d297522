package io.cnm4j.core.internal.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A native library's symbols, and the downcall handles bound to them. The binding classes keep the
 * handles in {@code static final} fields of small holder classes, one per group of functions, so
 * that a function is linked on first use and its calls inline like a direct call.
 *
 * <p>Immutable and thread-safe. A library opened by path stays loaded for the life of the process.
 */
public final class NativeLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final String name;
    private final SymbolLookup symbols;

    private NativeLibrary(String name, SymbolLookup symbols) {
        this.name = name;
        this.symbols = symbols;
    }

    /** The C library (the linker's default lookup). */
    public static NativeLibrary libc() {
        return new NativeLibrary("libc", LINKER.defaultLookup());
    }

    /**
     * The library at an absolute path, loaded for good. The caller has checked the file (who may
     * write it) before: nothing here consults the loader's search path.
     *
     * @throws IllegalArgumentException when the file cannot be loaded
     */
    public static NativeLibrary atPath(String name, Path path) {
        return new NativeLibrary(name, SymbolLookup.libraryLookup(path, Arena.global()));
    }

    /**
     * A system library by its platform name (such as {@code kernel32}), loaded for good.
     *
     * @throws IllegalArgumentException when the library cannot be loaded
     */
    public static NativeLibrary system(String name) {
        return new NativeLibrary(name, SymbolLookup.libraryLookup(name, Arena.global()));
    }

    /** The name used in messages. */
    public String name() {
        return name;
    }

    /**
     * Binds a function that reports no error number.
     *
     * @throws UnsatisfiedLinkError naming the library and the function when the symbol is missing
     */
    public MethodHandle downcall(String function, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(function), descriptor, options);
    }

    /**
     * Binds a function whose failures set an error number: the handle takes a call-state segment
     * ({@link CapturedError#allocateState}) before the function's own arguments.
     *
     * @throws UnsatisfiedLinkError naming the library and the function when the symbol is missing
     */
    public MethodHandle downcall(String function, FunctionDescriptor descriptor, CapturedError captured,
            Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        System.arraycopy(options, 0, all, 0, options.length);
        all[options.length] = captured.linkerOption();
        return LINKER.downcallHandle(symbol(function), descriptor, all);
    }

    /** Binds a function that only some versions of the library have; empty where it is missing. */
    public Optional<MethodHandle> optionalDowncall(String function, FunctionDescriptor descriptor) {
        return symbols.find(function).map(symbol -> LINKER.downcallHandle(symbol, descriptor));
    }

    /**
     * A native function pointer that calls {@code target}, valid as long as {@code arena}. The
     * target must not throw: an exception cannot unwind through native frames.
     */
    public static MemorySegment upcall(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return LINKER.upcallStub(target, descriptor, arena);
    }

    /**
     * What {@code invokeExact} declared: a native function cannot throw, so only unchecked
     * throwables (a wrong argument, an out-of-memory) come out of a downcall. Errors are rethrown
     * as they are; the caller throws the returned exception.
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

    /** The NUL-terminated string a native function returned, or {@code null} for a NULL pointer. */
    public static String string(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    @Override
    public String toString() {
        return "NativeLibrary[" + name + "]";
    }

    private MemorySegment symbol(String function) {
        return symbols.find(function).orElseThrow(() -> new UnsatisfiedLinkError(name + " lacks " + function));
    }
}
