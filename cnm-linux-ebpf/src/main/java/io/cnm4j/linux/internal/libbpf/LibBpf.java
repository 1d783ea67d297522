package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.cnm4j.core.internal.ffm.CapturedError;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The native boundary to libbpf 1.x ({@code libbpf.so.1}): the check that the library is present,
 * and its downcall handles, one holder class per group of functions ({@link Objects}, {@link Maps},
 * {@link Programs}, {@link RingBuffers}, {@link Iterators}, {@link MapElements}), each linked on first
 * use through the shared FFM helper. The library is loaded by the absolute path of a root-owned file
 * that only root can write ({@link TrustedLibrary}), never through the dynamic loader's search path.
 *
 * <p>Only this package calls the handles; everything else goes through the owner classes
 * ({@link BpfObject}, {@link RingBufferReader}, {@link BpfMapEntries}, {@link BpfIterator}), which never
 * let a raw pointer or errno escape and turn failures into {@link NativeCallException}s ({@link LibBpfErrors}).
 *
 * <p>Stateless and thread-safe, as libbpf itself is for distinct objects. Linking the first handle
 * routes libbpf's log to slf4j (see {@link LibBpfLog}), process-wide.
 */
public final class LibBpf {
    /** A version string such as {@code v1.1} is far shorter; the bound only limits the read. */
    private static final long VERSION_MAX_BYTES = 64;

    static final String LIBRARY_NAME = "libbpf.so.1";
    /** System property: an absolute path to load libbpf from instead of the system directories; still checked. */
    public static final String PATH_PROPERTY = "cnm4j.libbpf.path";

    private static final TrustedLibrary LIBRARY;
    private static final Optional<String> UNAVAILABLE_REASON;

    static {
        TrustedLibrary found = null;
        Optional<String> reason;
        try {
            found = find(LIBRARY_NAME);
            reason = load(LIBRARY_NAME, found.path());
        } catch (TrustedLibrary.RefusedException e) {
            reason = Optional.of(LIBRARY_NAME + " cannot be loaded: " + e.getMessage());
        }
        LIBRARY = reason.isEmpty() ? found : null;
        UNAVAILABLE_REASON = reason;
    }

    private LibBpf() {
    }

    /** True when libbpf 1.x can be loaded into this process. */
    public static boolean isAvailable() {
        return UNAVAILABLE_REASON.isEmpty();
    }

    /** Why libbpf cannot be used, for a capabilities report; empty when it can. */
    public static Optional<String> unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /**
     * What was loaded, for the capabilities report: {@code libbpf_path} (real path),
     * {@code libbpf_version} (as libbpf reports it) and {@code libbpf_sha256}; empty when unavailable.
     */
    public static Map<String, String> provenance() {
        if (LIBRARY == null) {
            return Map.of();
        }
        Map<String, String> loaded = new LinkedHashMap<>();
        loaded.put("libbpf_path", LIBRARY.path().toString());
        loaded.put("libbpf_version", versionString());
        loaded.put("libbpf_sha256", LIBRARY.sha256());
        return loaded;
    }

    /**
     * Tries to find and load a library the way libbpf is: never through the loader's search path
     * (see {@link TrustedLibrary}); the soname {@code libbpf.so.1} alone guarantees the 1.x error
     * conventions the wrappers rely on and every function bound here.
     */
    static Optional<String> probe(String libraryName) {
        try {
            return load(libraryName, find(libraryName).path());
        } catch (TrustedLibrary.RefusedException e) {
            return Optional.of(libraryName + " cannot be loaded: " + e.getMessage());
        }
    }

    private static TrustedLibrary find(String libraryName) throws TrustedLibrary.RefusedException {
        String configured = System.getProperty(PATH_PROPERTY);
        return configured != null
                ? TrustedLibrary.check(Path.of(configured))
                : TrustedLibrary.locate(libraryName, TrustedLibrary.systemDirectories());
    }

    private static Optional<String> load(String libraryName, Path path) {
        try (Arena probeArena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(path, probeArena);
            return Optional.empty();
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return Optional.of(libraryName + " cannot be loaded from " + path + ": " + e.getMessage());
        }
    }

    private static String versionString() {
        try {
            MemorySegment text = (MemorySegment) Texts.VERSION_STRING.invokeExact();
            return text.reinterpret(VERSION_MAX_BYTES).getString(0);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    static void requireAvailable(String call) throws NativeCallException {
        if (UNAVAILABLE_REASON.isPresent()) {
            throw new NativeCallException(call, 0, UNAVAILABLE_REASON.get());
        }
    }

    // ---- errors ----------------------------------------------------------------------------

    /** libbpf's text for an errno, including its own codes (4000 and up); either sign. */
    static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Texts.STRERROR_BUFFER_BYTES);
            // A non-zero result still leaves "Unknown libbpf error N" in the buffer.
            int ignored = (int) Texts.STRERROR.invokeExact(errno, buffer, buffer.byteSize());
            return buffer.getString(0);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /**
     * A pointer a capturing libbpf call returned, or the failure its errno describes when it is NULL.
     *
     * @param callState the call-state segment the call captured errno into
     */
    static MemorySegment nonNull(MemorySegment pointer, MemorySegment callState, String call)
            throws NativeCallException {
        if (pointer.equals(MemorySegment.NULL)) {
            throw LibBpfErrors.failure(call, CapturedError.ERRNO.read(callState));
        }
        return pointer;
    }

    /**
     * The library, loaded on first use of a holder (class initialization is lazy and thread-safe),
     * and kept apart from {@link LibBpf} so that {@link #isAvailable()} works where it is missing.
     */
    private static final class Library {
        static final NativeLibrary BPF = NativeLibrary.atPath(LIBRARY_NAME, LibBpf.LIBRARY.path());

        static {
            MethodHandle setPrint = BPF.downcall("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
            try {
                // libbpf's default printer (stderr) is replaced for good, so the returned one is dropped.
                MemorySegment ignoredDefaultPrinter = (MemorySegment) setPrint.invokeExact(LibBpfLog.printFunction());
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
        }
    }

    /** {@code struct bpf_object}: opening, loading, closing, and finding its maps and programs. */
    static final class Objects {
        /** Takes a call-state segment first. */
        static final MethodHandle OPEN_MEM = Library.BPF.downcall("bpf_object__open_mem",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), CapturedError.ERRNO);
        /** Returns 0 or a negated errno. */
        static final MethodHandle LOAD = Library.BPF.downcall("bpf_object__load",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle CLOSE = Library.BPF.downcall("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        /** Returns the map, owned by the object, or NULL. */
        static final MethodHandle FIND_MAP_BY_NAME = Library.BPF.downcall("bpf_object__find_map_by_name",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        /** Returns the program, owned by the object, or NULL. */
        static final MethodHandle FIND_PROGRAM_BY_NAME = Library.BPF.downcall("bpf_object__find_program_by_name",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        /** Returns the program after the given one (the first for NULL), or NULL after the last. */
        static final MethodHandle NEXT_PROGRAM = Library.BPF.downcall("bpf_object__next_program",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        /** Fills an info struct (its size in a {@code __u32} in/out argument) for a BPF fd; 0 or a negated errno. */
        static final MethodHandle INFO_BY_FD = Library.BPF.downcall("bpf_obj_get_info_by_fd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

        private Objects() {
        }
    }

    /** {@code struct bpf_map}: its description, and sizing before load (0 or a negated errno). */
    static final class Maps {
        static final MethodHandle SET_MAX_ENTRIES = Library.BPF.downcall("bpf_map__set_max_entries",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle SET_INITIAL_VALUE = Library.BPF.downcall("bpf_map__set_initial_value",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        /** The map's descriptor, owned by the object; negative before load. */
        static final MethodHandle FD = Library.BPF.downcall("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        /** The {@code enum bpf_map_type} value. */
        static final MethodHandle TYPE = Library.BPF.downcall("bpf_map__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle KEY_SIZE = Library.BPF.downcall("bpf_map__key_size",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle VALUE_SIZE = Library.BPF.downcall("bpf_map__value_size",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle MAX_ENTRIES = Library.BPF.downcall("bpf_map__max_entries",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));

        private Maps() {
        }
    }

    /** {@code struct bpf_program} and {@code struct bpf_link}: loading choices and attachment. */
    static final class Programs {
        static final MethodHandle NAME = Library.BPF.downcall("bpf_program__name",
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        /** The {@code enum bpf_prog_type} value. */
        static final MethodHandle TYPE = Library.BPF.downcall("bpf_program__type",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FD = Library.BPF.downcall("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle AUTOLOAD = Library.BPF.downcall("bpf_program__autoload",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        static final MethodHandle SET_AUTOLOAD = Library.BPF.downcall("bpf_program__set_autoload",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
        static final MethodHandle AUTOATTACH = Library.BPF.downcall("bpf_program__autoattach",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        /** Takes a call-state segment first; returns the link, which the caller owns, or NULL. */
        static final MethodHandle ATTACH = Library.BPF.downcall("bpf_program__attach",
                FunctionDescriptor.of(ADDRESS, ADDRESS), CapturedError.ERRNO);
        /** Takes a call-state segment first; returns the link, which the caller owns, or NULL. */
        static final MethodHandle ATTACH_CGROUP = Library.BPF.downcall("bpf_program__attach_cgroup",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), CapturedError.ERRNO);
        /** The {@code enum bpf_attach_type} value the program was loaded for. */
        static final MethodHandle EXPECTED_ATTACH_TYPE = Library.BPF.downcall("bpf_program__expected_attach_type",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        /**
         * Takes a call-state segment first, then the program and a {@code struct bpf_iter_attach_opts};
         * returns the link, which the caller owns, or NULL.
         */
        static final MethodHandle ATTACH_ITER = Library.BPF.downcall("bpf_program__attach_iter",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), CapturedError.ERRNO);
        /** The link's descriptor, owned by the link. */
        static final MethodHandle LINK_FD = Library.BPF.downcall("bpf_link__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        /** Detaches and frees a link; 0 or a negated errno. */
        static final MethodHandle LINK_DESTROY = Library.BPF.downcall("bpf_link__destroy",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));

        private Programs() {
        }
    }

    /** {@code struct ring_buffer}: the consumer side of a BPF ring buffer map. */
    static final class RingBuffers {
        /** Takes a call-state segment first; returns the ring buffer, which the caller owns, or NULL. */
        static final MethodHandle NEW = Library.BPF.downcall("ring_buffer__new",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), CapturedError.ERRNO);
        /** Returns the records consumed, or a negated errno. */
        static final MethodHandle POLL = Library.BPF.downcall("ring_buffer__poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        /** Returns the records consumed, or a negated errno. */
        static final MethodHandle CONSUME = Library.BPF.downcall("ring_buffer__consume",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FREE = Library.BPF.downcall("ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));

        private RingBuffers() {
        }
    }

    /** BPF iterators: a new pass over an iterator link. */
    static final class Iterators {
        /** Returns a new descriptor, which the caller owns, to read one pass from; or a negated errno. */
        static final MethodHandle CREATE = Library.BPF.downcall("bpf_iter_create",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));

        private Iterators() {
        }
    }

    /** Map elements by descriptor; each returns 0 or a negated errno. */
    static final class MapElements {
        static final MethodHandle LOOKUP_BATCH = Library.BPF.downcall("bpf_map_lookup_batch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle DELETE_BATCH = Library.BPF.downcall("bpf_map_delete_batch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle LOOKUP = Library.BPF.downcall("bpf_map_lookup_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle UPDATE = Library.BPF.downcall("bpf_map_update_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        static final MethodHandle DELETE = Library.BPF.downcall("bpf_map_delete_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle GET_NEXT_KEY = Library.BPF.downcall("bpf_map_get_next_key",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

        private MapElements() {
        }
    }

    /** libbpf's own texts. */
    private static final class Texts {
        static final MethodHandle VERSION_STRING = Library.BPF.downcall("libbpf_version_string",
                FunctionDescriptor.of(ADDRESS));
        static final MethodHandle STRERROR = Library.BPF.downcall("libbpf_strerror",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
        static final long STRERROR_BUFFER_BYTES = 256;
    }
}
