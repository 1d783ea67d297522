package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The native boundary to libbpf 1.x ({@code libbpf.so.1}): one downcall handle per function used,
 * thin static wrappers, and the check that the library is present. The library is loaded by the
 * absolute path of a root-owned file that only root can write ({@link TrustedLibrary}), never
 * through the dynamic loader's search path.
 *
 * <p>Only this package calls the wrappers; everything else goes through the owner classes
 * ({@link BpfObject}, {@link RingBufferReader}, {@link BpfHashMap}), which never let a raw pointer
 * or errno escape. libbpf 1.x reports failures in two ways, and the wrappers follow them: functions
 * returning {@code int} return a negated errno (the wrappers pass it through, callers use
 * {@link BpfException#check}); functions returning a pointer return NULL and set errno (the wrappers
 * capture errno and throw {@link BpfException}).
 *
 * <p>Stateless and thread-safe, as libbpf itself is for distinct objects. The first wrapper call
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
            MemorySegment text = (MemorySegment) Functions.VERSION_STRING.invokeExact();
            return text.reinterpret(VERSION_MAX_BYTES).getString(0);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static void requireAvailable(String call) throws BpfException {
        if (UNAVAILABLE_REASON.isPresent()) {
            throw BpfException.withoutErrno(call, UNAVAILABLE_REASON.get());
        }
    }

    // ---- bpf_object ------------------------------------------------------------------------

    /** @return the {@code struct bpf_object *}; the caller owns it and must {@link #objectClose} it */
    static MemorySegment objectOpenMem(MemorySegment elf, MemorySegment openOptions, String objectName)
            throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment object = (MemorySegment) Functions.OBJECT_OPEN_MEM.invokeExact(
                    callState, elf, elf.byteSize(), openOptions);
            return nonNull(object, callState, "bpf_object__open_mem(" + objectName + ")");
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int objectLoad(MemorySegment object) {
        try {
            return (int) Functions.OBJECT_LOAD.invokeExact(object);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static void objectClose(MemorySegment object) {
        try {
            Functions.OBJECT_CLOSE.invokeExact(object);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the {@code struct bpf_map *}, owned by the object, or NULL when there is none of that name */
    static MemorySegment objectFindMapByName(MemorySegment object, MemorySegment name) {
        try {
            return (MemorySegment) Functions.OBJECT_FIND_MAP_BY_NAME.invokeExact(object, name);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the {@code struct bpf_program *}, owned by the object, or NULL when there is none of that name */
    static MemorySegment objectFindProgramByName(MemorySegment object, MemorySegment name) {
        try {
            return (MemorySegment) Functions.OBJECT_FIND_PROGRAM_BY_NAME.invokeExact(object, name);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the program after {@code previous} (the first one for NULL), or NULL after the last */
    static MemorySegment objectNextProgram(MemorySegment object, MemorySegment previous) {
        try {
            return (MemorySegment) Functions.OBJECT_NEXT_PROGRAM.invokeExact(object, previous);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    // ---- bpf_map ---------------------------------------------------------------------------

    static int mapSetMaxEntries(MemorySegment map, int maxEntries) {
        try {
            return (int) Functions.MAP_SET_MAX_ENTRIES.invokeExact(map, maxEntries);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** Replaces the initial contents of a global-data map ({@code .rodata}, {@code .data}) before load. */
    static int mapSetInitialValue(MemorySegment map, MemorySegment data) {
        try {
            return (int) Functions.MAP_SET_INITIAL_VALUE.invokeExact(map, data, data.byteSize());
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the map's file descriptor, owned by the object; negative before load */
    static int mapFd(MemorySegment map) {
        try {
            return (int) Functions.MAP_FD.invokeExact(map);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the {@code enum bpf_map_type} value */
    static int mapType(MemorySegment map) {
        try {
            return (int) Functions.MAP_TYPE.invokeExact(map);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int mapKeySize(MemorySegment map) {
        try {
            return (int) Functions.MAP_KEY_SIZE.invokeExact(map);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int mapValueSize(MemorySegment map) {
        try {
            return (int) Functions.MAP_VALUE_SIZE.invokeExact(map);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int mapMaxEntries(MemorySegment map) {
        try {
            return (int) Functions.MAP_MAX_ENTRIES.invokeExact(map);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    // ---- bpf_program and bpf_link ----------------------------------------------------------

    static String programName(MemorySegment program) {
        try {
            MemorySegment name = (MemorySegment) Functions.PROGRAM_NAME.invokeExact(program);
            return name.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the {@code enum bpf_prog_type} value */
    static int programType(MemorySegment program) {
        try {
            return (int) Functions.PROGRAM_TYPE.invokeExact(program);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int programFd(MemorySegment program) {
        try {
            return (int) Functions.PROGRAM_FD.invokeExact(program);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** Fills {@code info} (its size in {@code length}, a {@code __u32}) with the kernel's info of a BPF fd. */
    static int objectInfoByFd(int fd, MemorySegment info, MemorySegment length) {
        try {
            return (int) Functions.OBJ_GET_INFO_BY_FD.invokeExact(fd, info, length);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static boolean programAutoload(MemorySegment program) {
        try {
            return (boolean) Functions.PROGRAM_AUTOLOAD.invokeExact(program);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int programSetAutoload(MemorySegment program, boolean autoload) {
        try {
            return (int) Functions.PROGRAM_SET_AUTOLOAD.invokeExact(program, autoload);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static boolean programAutoattach(MemorySegment program) {
        try {
            return (boolean) Functions.PROGRAM_AUTOATTACH.invokeExact(program);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the {@code struct bpf_link *}; the caller owns it and must {@link #linkDestroy} it */
    static MemorySegment programAttach(MemorySegment program, String call) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment link = (MemorySegment) Functions.PROGRAM_ATTACH.invokeExact(callState, program);
            return nonNull(link, callState, call);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the {@code struct bpf_link *}; the caller owns it and must {@link #linkDestroy} it */
    static MemorySegment programAttachCgroup(MemorySegment program, int cgroupFd, String call)
            throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment link = (MemorySegment) Functions.PROGRAM_ATTACH_CGROUP.invokeExact(
                    callState, program, cgroupFd);
            return nonNull(link, callState, call);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int linkDestroy(MemorySegment link) {
        try {
            return (int) Functions.LINK_DESTROY.invokeExact(link);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    // ---- ring_buffer -----------------------------------------------------------------------

    /**
     * @param sampleFunction a {@code ring_buffer_sample_fn} upcall stub that must outlive the ring buffer
     * @return the {@code struct ring_buffer *}; the caller owns it and must {@link #ringBufferFree} it
     */
    static MemorySegment ringBufferNew(int mapFd, MemorySegment sampleFunction, String call) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment ringBuffer = (MemorySegment) Functions.RING_BUFFER_NEW.invokeExact(
                    callState, mapFd, sampleFunction, MemorySegment.NULL, MemorySegment.NULL);
            return nonNull(ringBuffer, callState, call);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the number of records consumed, or a negated errno */
    static int ringBufferPoll(MemorySegment ringBuffer, int timeoutMillis) {
        try {
            return (int) Functions.RING_BUFFER_POLL.invokeExact(ringBuffer, timeoutMillis);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @return the number of records consumed, or a negated errno */
    static int ringBufferConsume(MemorySegment ringBuffer) {
        try {
            return (int) Functions.RING_BUFFER_CONSUME.invokeExact(ringBuffer);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static void ringBufferFree(MemorySegment ringBuffer) {
        try {
            Functions.RING_BUFFER_FREE.invokeExact(ringBuffer);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    // ---- map elements by file descriptor (each returns 0 or a negated errno) ---------------

    /** @param count in: capacity of {@code keys}/{@code values} in entries; out: entries read */
    static int mapLookupBatch(int mapFd, MemorySegment inBatch, MemorySegment outBatch,
            MemorySegment keys, MemorySegment values, MemorySegment count) {
        try {
            return (int) Functions.MAP_LOOKUP_BATCH.invokeExact(mapFd, inBatch, outBatch, keys, values, count,
                    MemorySegment.NULL);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @param count in: number of keys; out: number of keys deleted before the call stopped */
    static int mapDeleteBatch(int mapFd, MemorySegment keys, MemorySegment count) {
        try {
            return (int) Functions.MAP_DELETE_BATCH.invokeExact(mapFd, keys, count, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int mapLookupElem(int mapFd, MemorySegment key, MemorySegment value) {
        try {
            return (int) Functions.MAP_LOOKUP_ELEM.invokeExact(mapFd, key, value);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @param flags {@code BPF_ANY}, {@code BPF_NOEXIST} or {@code BPF_EXIST} */
    static int mapUpdateElem(int mapFd, MemorySegment key, MemorySegment value, long flags) {
        try {
            return (int) Functions.MAP_UPDATE_ELEM.invokeExact(mapFd, key, value, flags);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    static int mapDeleteElem(int mapFd, MemorySegment key) {
        try {
            return (int) Functions.MAP_DELETE_ELEM.invokeExact(mapFd, key);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    /** @param key the current key, or NULL for the first key */
    static int mapGetNextKey(int mapFd, MemorySegment key, MemorySegment nextKey) {
        try {
            return (int) Functions.MAP_GET_NEXT_KEY.invokeExact(mapFd, key, nextKey);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    // ---- errors ----------------------------------------------------------------------------

    /** libbpf's text for an errno, including its own codes (4000 and up); either sign. */
    static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Functions.STRERROR_BUFFER_BYTES);
            // A non-zero result still leaves "Unknown libbpf error N" in the buffer.
            int ignored = (int) Functions.STRERROR.invokeExact(errno, buffer, buffer.byteSize());
            return buffer.getString(0);
        } catch (Throwable t) {
            throw Downcalls.propagate(t);
        }
    }

    private static MemorySegment nonNull(MemorySegment pointer, MemorySegment callState, String call)
            throws BpfException {
        if (pointer.equals(MemorySegment.NULL)) {
            throw BpfException.ofErrno(call, Downcalls.capturedErrno(callState));
        }
        return pointer;
    }

    /**
     * The handles, bound on first use (class initialization is lazy and thread-safe). Kept apart from
     * {@link LibBpf} so that {@link #isAvailable()} works where the library is missing.
     */
    private static final class Functions {

        private static final SymbolLookup LIBRARY_SYMBOLS = SymbolLookup.libraryLookup(LibBpf.LIBRARY.path(),
                Arena.global());
        private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
        private static final long STRERROR_BUFFER_BYTES = 256;

        static final MethodHandle OBJECT_OPEN_MEM = bind("bpf_object__open_mem",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), ERRNO);
        static final MethodHandle OBJECT_LOAD = bind("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle OBJECT_CLOSE = bind("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle OBJECT_FIND_MAP_BY_NAME = bind("bpf_object__find_map_by_name",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle OBJECT_FIND_PROGRAM_BY_NAME = bind("bpf_object__find_program_by_name",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle OBJECT_NEXT_PROGRAM = bind("bpf_object__next_program",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));

        static final MethodHandle MAP_SET_MAX_ENTRIES = bind("bpf_map__set_max_entries",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle MAP_SET_INITIAL_VALUE = bind("bpf_map__set_initial_value",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        static final MethodHandle MAP_FD = bind("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle MAP_TYPE = bind("bpf_map__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle MAP_KEY_SIZE = bind("bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle MAP_VALUE_SIZE = bind("bpf_map__value_size",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle MAP_MAX_ENTRIES = bind("bpf_map__max_entries",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));

        static final MethodHandle PROGRAM_NAME = bind("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        static final MethodHandle PROGRAM_TYPE = bind("bpf_program__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle PROGRAM_FD = bind("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle OBJ_GET_INFO_BY_FD = bind("bpf_obj_get_info_by_fd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle PROGRAM_AUTOLOAD = bind("bpf_program__autoload",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        static final MethodHandle PROGRAM_SET_AUTOLOAD = bind("bpf_program__set_autoload",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
        static final MethodHandle PROGRAM_AUTOATTACH = bind("bpf_program__autoattach",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        static final MethodHandle PROGRAM_ATTACH = bind("bpf_program__attach",
                FunctionDescriptor.of(ADDRESS, ADDRESS), ERRNO);
        static final MethodHandle PROGRAM_ATTACH_CGROUP = bind("bpf_program__attach_cgroup",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), ERRNO);
        static final MethodHandle LINK_DESTROY = bind("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));

        static final MethodHandle RING_BUFFER_NEW = bind("ring_buffer__new",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), ERRNO);
        static final MethodHandle RING_BUFFER_POLL = bind("ring_buffer__poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle RING_BUFFER_CONSUME = bind("ring_buffer__consume",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle RING_BUFFER_FREE = bind("ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));

        static final MethodHandle MAP_LOOKUP_BATCH = bind("bpf_map_lookup_batch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle MAP_DELETE_BATCH = bind("bpf_map_delete_batch",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle MAP_LOOKUP_ELEM = bind("bpf_map_lookup_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle MAP_UPDATE_ELEM = bind("bpf_map_update_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        static final MethodHandle MAP_DELETE_ELEM = bind("bpf_map_delete_elem",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle MAP_GET_NEXT_KEY = bind("bpf_map_get_next_key",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

        static final MethodHandle VERSION_STRING = bind("libbpf_version_string", FunctionDescriptor.of(ADDRESS));
        static final MethodHandle STRERROR = bind("libbpf_strerror",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
        private static final MethodHandle SET_PRINT = bind("libbpf_set_print",
                FunctionDescriptor.of(ADDRESS, ADDRESS));

        static {
            try {
                // libbpf's default printer (stderr) is replaced for good, so the returned one is dropped.
                MemorySegment ignoredDefaultPrinter =
                        (MemorySegment) SET_PRINT.invokeExact(LibBpfLog.printFunction());
            } catch (Throwable t) {
                throw Downcalls.propagate(t);
            }
        }

        private Functions() {
        }

        private static MethodHandle bind(String function, FunctionDescriptor descriptor, Linker.Option... options) {
            return Downcalls.bind(LIBRARY_SYMBOLS, LIBRARY_NAME, function, descriptor, options);
        }
    }
}
