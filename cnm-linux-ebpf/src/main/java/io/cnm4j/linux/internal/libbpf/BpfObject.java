package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.cnm4j.core.internal.ffm.CapturedError;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import io.cnm4j.linux.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A BPF ELF object opened by libbpf (a {@code struct bpf_object *}) and everything created from it.
 *
 * <p>Lifecycle: {@link #open} from the bytes of a compiled {@code .bpf.o}; adjust it ({@link #map}
 * sizes, {@link #program} autoload); {@link #load()} it into the kernel; attach its programs and read
 * its maps. {@link #close()} then releases, in order, the ring buffer readers, map-entry readers and
 * links created here (their only closer: users never close the readers), the kernel programs and
 * maps, and the memory holding the ELF image. Closing twice is harmless.
 *
 * <p>Owns its native object and that memory. Thread-safe: every method is serialized on this
 * instance, so {@code close()} may come from another thread than the one that loaded it.
 */
public final class BpfObject implements AutoCloseable {
    /**
     * The leading fields of {@code struct bpf_object_open_opts}. libbpf reads {@code sz} and treats
     * every field past it as unset, so declaring only the fields set here is forward compatible.
     */
    private static final StructLayout OPEN_OPTIONS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("object_name"));
    private static final VarHandle OPEN_OPTIONS_SZ = OPEN_OPTIONS.varHandle(
            MemoryLayout.PathElement.groupElement("sz"));
    private static final VarHandle OPEN_OPTIONS_OBJECT_NAME = OPEN_OPTIONS.varHandle(
            MemoryLayout.PathElement.groupElement("object_name"));

    /** {@code struct bpf_iter_attach_opts}; libbpf reads {@code sz} as for the open options. */
    private static final StructLayout ITER_ATTACH_OPTIONS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("link_info"),
            JAVA_INT.withName("link_info_len"),
            MemoryLayout.paddingLayout(4));
    private static final long ITER_ATTACH_OPTIONS_SZ = ITER_ATTACH_OPTIONS.byteOffset(
            MemoryLayout.PathElement.groupElement("sz"));
    private static final long ITER_ATTACH_OPTIONS_LINK_INFO = ITER_ATTACH_OPTIONS.byteOffset(
            MemoryLayout.PathElement.groupElement("link_info"));
    private static final long ITER_ATTACH_OPTIONS_LINK_INFO_LEN = ITER_ATTACH_OPTIONS.byteOffset(
            MemoryLayout.PathElement.groupElement("link_info_len"));

    /** ELF readers expect the image 8-byte aligned, as a file mapping would be. */
    private static final long ELF_ALIGNMENT = 8;

    /** enum bpf_prog_type values in linux/bpf.h. */
    private static final int PROG_TYPE_SOCKET_FILTER = 1;
    private static final int PROG_TYPE_CGROUP_SKB = 8;
    private static final int PROG_TYPE_CGROUP_SOCK = 9;
    private static final int PROG_TYPE_SOCK_OPS = 13;
    private static final int PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int PROG_TYPE_CGROUP_SOCK_ADDR = 18;
    private static final int PROG_TYPE_CGROUP_SYSCTL = 23;
    private static final int PROG_TYPE_CGROUP_SOCKOPT = 25;
    /** enum bpf_attach_type value of iterator programs, which attach to what they walk ({@link #openIterator}). */
    private static final int ATTACH_TYPE_TRACE_ITER = 28;

    private final String name;
    /** Holds the ELF image and the name: libbpf keeps pointers into the image until load ends. */
    private final Arena arena;
    private final MemorySegment object;
    /** Closes the readers and links created from this object; run before it, in reverse order. */
    private final List<Runnable> dependentClosers = new ArrayList<>();
    private boolean loadAttempted;
    private boolean loaded;
    private boolean closed;

    private BpfObject(String name, Arena arena, MemorySegment object) {
        this.name = name;
        this.arena = arena;
        this.object = object;
    }

    /**
     * Opens (parses, does not load) a BPF ELF object. Needs no privilege.
     *
     * @param name the object name libbpf uses in its log and in kernel object names
     * @param elf the bytes of the compiled object; copied, so the array may be reused
     * @throws NativeCallException when libbpf is missing or rejects the ELF image
     */
    public static BpfObject open(String name, byte[] elf) throws NativeCallException {
        LibBpf.requireAvailable("bpf_object__open_mem(" + name + ")");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment image = arena.allocate(elf.length, ELF_ALIGNMENT);
            MemorySegment.copy(elf, 0, image, JAVA_BYTE, 0, elf.length);
            MemorySegment options = arena.allocate(OPEN_OPTIONS);
            OPEN_OPTIONS_SZ.set(options, 0L, OPEN_OPTIONS.byteSize());
            OPEN_OPTIONS_OBJECT_NAME.set(options, 0L, arena.allocateFrom(name));
            MemorySegment callState = CapturedError.allocateState(arena);
            MemorySegment object;
            try {
                object = (MemorySegment) LibBpf.Objects.OPEN_MEM.invokeExact(callState, image, image.byteSize(), options);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            return new BpfObject(name, arena, LibBpf.nonNull(object, callState, "bpf_object__open_mem(" + name + ")"));
        } catch (NativeCallException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /**
     * Finds a map by its name in the BPF C source.
     *
     * @throws IllegalArgumentException when the object has no such map
     */
    public synchronized BpfMap map(String mapName) {
        requireOpen();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment map = (MemorySegment) LibBpf.Objects.FIND_MAP_BY_NAME.invokeExact(object,
                    call.allocateFrom(mapName));
            if (map.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("BPF object " + name + " has no map " + mapName);
            }
            return new BpfMap(this, map, mapName);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /**
     * Finds a program by its function name in the BPF C source.
     *
     * @throws IllegalArgumentException when the object has no such program
     */
    public synchronized BpfProgram program(String programName) {
        requireOpen();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment program = (MemorySegment) LibBpf.Objects.FIND_PROGRAM_BY_NAME.invokeExact(object,
                    call.allocateFrom(programName));
            if (program.equals(MemorySegment.NULL)) {
                throw new IllegalArgumentException("BPF object " + name + " has no program " + programName);
            }
            return new BpfProgram(this, program, programName);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** The names of the object's programs, in the order of the object. */
    public synchronized List<String> programNames() {
        requireOpen();
        List<String> names = new ArrayList<>();
        try {
            for (MemorySegment program = nextProgram(MemorySegment.NULL); !program.equals(MemorySegment.NULL);
                    program = nextProgram(program)) {
                names.add(NativeLibrary.string((MemorySegment) LibBpf.Programs.NAME.invokeExact(program)));
            }
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        return List.copyOf(names);
    }

    /**
     * Creates the maps and verifies and loads the programs in the kernel. Needs CAP_BPF (and
     * CAP_PERFMON for tracing programs) or root. Only one attempt is possible: libbpf refuses a second
     * load even after a failure.
     *
     * @throws NativeCallException naming the errno and the verifier's or libbpf's line that says why;
     *         libbpf's whole output is logged at debug level
     */
    public synchronized void load() throws NativeCallException {
        requireOpen();
        if (loadAttempted) {
            throw new IllegalStateException("BPF object " + name + " was already loaded");
        }
        loadAttempted = true;
        LibBpfLog.Captured<Integer> load = LibBpfLog.capturingWarnings(this::loadObject);
        load.logWarnings(load.result() < 0);
        if (load.result() < 0) {
            String call = "bpf_object__load(" + name + ")";
            throw VerifierLog.firstUsefulLine(load.warnings())
                    .map(reason -> new NativeCallException(call, load.result(),
                            LibBpfErrors.describe(load.result()) + ": " + reason))
                    .orElseGet(() -> LibBpfErrors.failure(call, load.result()));
        }
        loaded = true;
    }

    private int loadObject() {
        try {
            return (int) LibBpf.Objects.LOAD.invokeExact(object);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /**
     * Attaches every loaded program that attaches by itself: tracepoints, tp_btf, raw tracepoints,
     * kprobes and the like. Programs switched off with autoload, socket filters (their socket attaches
     * them), iterators ({@link #openIterator}) and programs without auto-attach are skipped.
     *
     * <p>All or nothing: if one attach fails, those made by this call are detached again.
     *
     * @return the new links, in program order; they belong to this object
     * @throws IllegalStateException when the object has a cgroup program; use {@link #attachAll(Path)}
     */
    public synchronized List<BpfLink> attachAll() throws NativeCallException {
        return attachAll(Optional.empty());
    }

    /**
     * Like {@link #attachAll()}, and attaches cgroup programs (cgroup_skb, sockops, cgroup/connect4...)
     * to the given cgroup v2 directory; the root of the cgroup v2 mount covers the whole host.
     */
    public synchronized List<BpfLink> attachAll(Path cgroup) throws NativeCallException {
        return attachAll(Optional.of(cgroup));
    }

    /**
     * Starts reading a {@code BPF_MAP_TYPE_RINGBUF} map. The reader belongs to this object, which
     * alone closes it, when it closes itself.
     *
     * @param handler receives every record on the thread that polls the reader
     */
    public synchronized RingBufferReader openRingBuffer(String mapName, RingBufferRecordHandler handler)
            throws NativeCallException {
        BpfMap map = map(mapName);
        requireLoaded();
        requireType(map, BpfMap.TYPE_RINGBUF, "a ring buffer");
        RingBufferReader reader = RingBufferReader.open(mapName, map.fd(), handler);
        dependentClosers.add(reader::close);
        return reader;
    }

    /**
     * Invocations the kernel skipped, summed over this object's loaded programs: a tracing
     * program already running on a CPU (e.g. interrupted by a softirq that hits the same hook)
     * is not run again there, and the kernel counts it in {@code bpf_prog_info.recursion_misses}.
     */
    public synchronized long recursionMisses() {
        requireLoaded();
        long misses = 0;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment info = scratch.allocate(BpfProgramInfo.LAYOUT);
            MemorySegment length = scratch.allocate(ValueLayout.JAVA_INT);
            for (MemorySegment program = nextProgram(MemorySegment.NULL); !program.equals(MemorySegment.NULL);
                    program = nextProgram(program)) {
                int fd = (int) LibBpf.Programs.FD.invokeExact(program);
                if (fd >= 0 && BpfProgramInfo.read(fd, info, length)
                        && length.get(ValueLayout.JAVA_INT, 0) >= BpfProgramInfo.RECURSION_MISSES_END) {
                    misses += info.get(ValueLayout.JAVA_LONG, BpfProgramInfo.RECURSION_MISSES);
                }
            }
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        return misses;
    }

    /**
     * Attaches an iterator program ({@code SEC("iter/bpf_sk_storage_map")} and the like) to the map
     * it walks. The iterator belongs to this object, which alone closes it, when it closes itself.
     *
     * @throws NativeCallException naming the program and the errno when the kernel refuses the attachment
     */
    public synchronized BpfIterator openIterator(String programName, String mapName) throws NativeCallException {
        BpfProgram program = program(programName);
        BpfMap map = map(mapName);
        requireLoaded();
        try (Arena call = Arena.ofConfined()) {
            // union bpf_iter_link_info: its first member is map.map_fd
            MemorySegment linkInfo = call.allocate(JAVA_INT);
            linkInfo.set(JAVA_INT, 0, map.fd());
            MemorySegment options = call.allocate(ITER_ATTACH_OPTIONS);
            options.set(JAVA_LONG, ITER_ATTACH_OPTIONS_SZ, ITER_ATTACH_OPTIONS.byteSize());
            options.set(ADDRESS, ITER_ATTACH_OPTIONS_LINK_INFO, linkInfo);
            options.set(JAVA_INT, ITER_ATTACH_OPTIONS_LINK_INFO_LEN, (int) linkInfo.byteSize());
            MemorySegment callState = CapturedError.allocateState(call);
            MemorySegment link = linkQuietly(() -> (MemorySegment) LibBpf.Programs.ATTACH_ITER.invokeExact(callState,
                    program.handle(), options));
            BpfLink owned = new BpfLink(programName, LibBpf.nonNull(link, callState,
                    "bpf_program__attach_iter(" + programName + ", " + mapName + ")"));
            int linkFd;
            try {
                linkFd = (int) LibBpf.Programs.LINK_FD.invokeExact(link);
            } catch (Throwable t) {
                owned.close();
                throw NativeLibrary.propagate(t);
            }
            BpfIterator iterator = new BpfIterator(programName, owned, linkFd);
            dependentClosers.add(iterator::close);
            return iterator;
        }
    }

    /**
     * Opens batch access to a {@code BPF_MAP_TYPE_HASH}, {@code BPF_MAP_TYPE_LRU_HASH} or
     * {@code BPF_MAP_TYPE_ARRAY} map (arrays support the same lookups and batch reads). The
     * reader belongs to this object, which alone closes it, when it closes itself.
     *
     * @param batchCapacity how many entries one batch reads; its key and value buffers are sized for it
     */
    public synchronized BpfMapEntries openEntries(String mapName, int batchCapacity) {
        BpfMap map = map(mapName);
        requireLoaded();
        int type = map.type();
        if (type != BpfMap.TYPE_HASH && type != BpfMap.TYPE_LRU_HASH && type != BpfMap.TYPE_ARRAY) {
            throw new IllegalArgumentException("map " + mapName + " is not a (non per-CPU) hash or array map: type " + type);
        }
        BpfMapEntries entries = new BpfMapEntries(mapName, map.fd(), map.keySizeBytes(), map.valueSizeBytes(),
                batchCapacity);
        dependentClosers.add(entries::close);
        return entries;
    }

    /**
     * Releases everything created from this object, then the object: programs detach, and the kernel
     * frees programs and maps once nothing else (a pinned path, another process) holds them.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeDependents();
        } finally {
            try {
                LibBpf.Objects.CLOSE.invokeExact(object);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            } finally {
                arena.close();
            }
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + (closed ? ", closed" : loaded ? ", loaded" : "") + "]";
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
    }

    void requireLoaded() {
        requireOpen();
        if (!loaded) {
            throw new IllegalStateException("BPF object " + name + " is not loaded");
        }
    }

    /**
     * Caller holds this object's lock and has checked it is loaded.
     *
     * @throws NativeCallException naming the program and the errno; libbpf's warnings are logged at debug
     */
    BpfLink attach(MemorySegment program, String programName) throws NativeCallException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = CapturedError.allocateState(call);
            MemorySegment link = linkQuietly(() -> (MemorySegment) LibBpf.Programs.ATTACH.invokeExact(callState, program));
            return own(new BpfLink(programName,
                    LibBpf.nonNull(link, callState, "bpf_program__attach(" + programName + ")")));
        }
    }

    /**
     * Caller holds this object's lock and has checked it is loaded; the cgroup descriptor stays the caller's.
     *
     * @throws NativeCallException naming the program, the cgroup and the errno; libbpf's warnings are logged at debug
     */
    BpfLink attachCgroup(MemorySegment program, String programName, int cgroupFd, Path cgroup)
            throws NativeCallException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = CapturedError.allocateState(call);
            MemorySegment link = linkQuietly(
                    () -> (MemorySegment) LibBpf.Programs.ATTACH_CGROUP.invokeExact(callState, program, cgroupFd));
            return own(new BpfLink(programName, LibBpf.nonNull(link, callState,
                    "bpf_program__attach_cgroup(" + programName + ", " + cgroup + ")")));
        }
    }

    /** A libbpf call that returns a link, or NULL when it fails. */
    @FunctionalInterface
    private interface LinkCall {
        MemorySegment invoke() throws Throwable;
    }

    /** Makes an attach call whose warnings, when it fails, only repeat what its exception says. */
    private static MemorySegment linkQuietly(LinkCall call) {
        LibBpfLog.Captured<MemorySegment> link = LibBpfLog.capturingWarnings(() -> {
            try {
                return call.invoke();
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
        });
        link.logWarnings(link.result().equals(MemorySegment.NULL));
        return link.result();
    }

    private List<BpfLink> attachAll(Optional<Path> cgroup) throws NativeCallException {
        requireLoaded();
        List<BpfLink> attached = new ArrayList<>();
        int cgroupFd = -1;
        try (Arena call = Arena.ofConfined()) {
            for (MemorySegment program = nextProgram(MemorySegment.NULL); !program.equals(MemorySegment.NULL);
                    program = nextProgram(program)) {
                int type = (int) LibBpf.Programs.TYPE.invokeExact(program);
                if (!(boolean) LibBpf.Programs.AUTOLOAD.invokeExact(program)
                        || !(boolean) LibBpf.Programs.AUTOATTACH.invokeExact(program)
                        || type == PROG_TYPE_SOCKET_FILTER
                        || (int) LibBpf.Programs.EXPECTED_ATTACH_TYPE.invokeExact(program) == ATTACH_TYPE_TRACE_ITER) {
                    continue;
                }
                String programName = NativeLibrary.string((MemorySegment) LibBpf.Programs.NAME.invokeExact(program));
                if (isCgroupProgram(type)) {
                    Path directory = cgroup.orElseThrow(() -> new IllegalStateException(
                            "program " + programName + " of " + name + " attaches to a cgroup: use attachAll(Path)"));
                    if (cgroupFd < 0) {
                        cgroupFd = Libc.openReadOnly(CapturedError.allocateState(call), directory.toString());
                    }
                    attached.add(attachCgroup(program, programName, cgroupFd, directory));
                } else {
                    attached.add(attach(program, programName));
                }
            }
            return List.copyOf(attached);
        } catch (Throwable e) {
            attached.forEach(BpfLink::close);
            if (e instanceof NativeCallException failure) {
                throw failure;
            }
            throw NativeLibrary.propagate(e);
        } finally {
            if (cgroupFd >= 0) {
                Libc.close(cgroupFd);
            }
        }
    }

    /** The program after {@code previous} (the first one for NULL), or NULL after the last. */
    private MemorySegment nextProgram(MemorySegment previous) throws Throwable {
        return (MemorySegment) LibBpf.Objects.NEXT_PROGRAM.invokeExact(object, previous);
    }

    private BpfLink own(BpfLink link) {
        dependentClosers.add(link::close);
        return link;
    }

    private static boolean isCgroupProgram(int type) {
        return switch (type) {
            case PROG_TYPE_CGROUP_SKB, PROG_TYPE_CGROUP_SOCK, PROG_TYPE_SOCK_OPS, PROG_TYPE_CGROUP_DEVICE,
                    PROG_TYPE_CGROUP_SOCK_ADDR, PROG_TYPE_CGROUP_SYSCTL, PROG_TYPE_CGROUP_SOCKOPT -> true;
            default -> false;
        };
    }

    private static void requireType(BpfMap map, int expectedType, String description) {
        int type = map.type();
        if (type != expectedType) {
            throw new IllegalArgumentException("map " + map.name() + " is not " + description + ": type " + type);
        }
    }

    /** Closes every dependent even if one fails (a misuse such as closing a reader from its own handler). */
    private void closeDependents() {
        RuntimeException failure = null;
        for (int i = dependentClosers.size() - 1; i >= 0; i--) {
            try {
                dependentClosers.get(i).run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        dependentClosers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
