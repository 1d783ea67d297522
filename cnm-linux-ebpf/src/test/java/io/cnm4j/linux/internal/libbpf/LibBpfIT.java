package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.cnm4j.core.internal.ffm.NativeCallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code test_counter.bpf.o} into the kernel. Needs root (or CAP_BPF and CAP_PERFMON); skipped
 * otherwise, except under {@code CI=true}, where a kernel that cannot load it is a failure.
 */
@EnabledOnOs(OS.LINUX)
class LibBpfIT {

    private static final int PID = (int) ProcessHandle.current().pid();
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);

    private static Optional<String> ebpfUnavailableReason;

    @BeforeAll
    static void requireLoadableEbpfInCi() {
        ebpfUnavailableReason = whyEbpfCannotLoad();
        if (ebpfUnavailableReason.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires eBPF: " + ebpfUnavailableReason.get());
            }
            LoggerFactory.getLogger(LibBpfIT.class).warn("Skipping LibBpfIT, eBPF unavailable: {}",
                    ebpfUnavailableReason.get());
        }
    }

    @BeforeEach
    void skipWithoutEbpf() {
        ebpfUnavailableReason.ifPresent(reason -> Assumptions.abort("eBPF unavailable: " + reason));
    }

    @Test
    void eachGetppidCallIsCountedAndDeliversOneExactRecord() throws NativeCallException {
        try (BpfObject object = loadAndAttachAll()) {
            List<TestEvent> events = new ArrayList<>();
            RingBufferReader reader = object.openRingBuffer(TestCounterObject.EVENTS_MAP,
                    (memory, offset, length) -> events.add(TestEvent.read(memory, offset, length)));
            countGetppidOfThisProcess(object);

            // when
            int tid = Syscalls.gettid();
            for (int i = 0; i < 3; i++) {
                Syscalls.getppid();
            }
            int delivered = reader.consume();

            // then
            assertThat(delivered).isEqualTo(3);
            assertThat(events).containsExactly(
                    new TestEvent(PID, tid, 1, TestCounterObject.EVENT_MAGIC, TestCounterObject.EVENT_BYTES),
                    new TestEvent(PID, tid, 2, TestCounterObject.EVENT_MAGIC, TestCounterObject.EVENT_BYTES),
                    new TestEvent(PID, tid, 3, TestCounterObject.EVENT_MAGIC, TestCounterObject.EVENT_BYTES));
            assertThat(countOfThisProcess(object)).isEqualTo(3);
            assertThat(reader.handlerFailures()).isZero();
        }
    }

    @Test
    void throwingHandlerIsCountedAndLaterRecordsStillArrive() throws NativeCallException {
        try (BpfObject object = loadAndAttachAll()) {
            List<Long> counts = new ArrayList<>();
            RingBufferReader reader = object.openRingBuffer(TestCounterObject.EVENTS_MAP, (memory, offset, length) -> {
                long count = TestEvent.read(memory, offset, length).count();
                if (count == 1) {
                    throw new IllegalStateException("handler bug on record " + count);
                }
                counts.add(count);
            });
            countGetppidOfThisProcess(object);

            // when
            Syscalls.getppid();
            Syscalls.getppid();
            int delivered = reader.poll(Duration.ofSeconds(1));

            // then
            assertThat(delivered).isEqualTo(2);
            assertThat(reader.handlerFailures()).isEqualTo(1);
            assertThat(counts).containsExactly(2L);
        }
    }

    @Test
    void pollWithoutRecordsReturnsZeroAfterTheTimeout() throws NativeCallException {
        try (BpfObject object = loadAndAttachAll()) {
            RingBufferReader reader = object.openRingBuffer(TestCounterObject.EVENTS_MAP,
                    (memory, offset, length) -> fail("no record expected"));

            assertThat(reader.poll(Duration.ofMillis(20))).isZero();
        }
    }

    @Test
    void closeFromAnotherThreadWaitsForThePollInProgress() throws Exception {
        BpfObject object = loadAndAttachAll();
        RingBufferReader reader = object.openRingBuffer(TestCounterObject.EVENTS_MAP, (memory, offset, length) -> { });
        CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return reader.poll(Duration.ofSeconds(1));
            } catch (NativeCallException e) {
                throw new IllegalStateException(e);
            }
        });
        // Time for the poll to block in epoll_wait, well within its timeout.
        sleep(Duration.ofMillis(200));

        // when
        object.close();

        // then
        assertThat(poll).succeedsWithin(Duration.ofSeconds(1)).isEqualTo(0);
        assertThatThrownBy(reader::consume)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ring buffer reader of test_events is closed");
    }

    @Test
    void batchReadsSeeEveryEntryOfAMapResizedBeforeLoad() throws NativeCallException {
        try (BpfObject object = TestCounterObject.open(); Arena arena = Arena.ofConfined()) {
            // 1000 entries would not fit the 64 compiled into the object.
            object.map(TestCounterObject.ENTRIES_MAP).setMaxEntries(4096);
            object.program(TestCounterObject.OPTIONAL_PROGRAM).setAutoload(false);
            object.load();
            BpfMapEntries entries = object.openEntries(TestCounterObject.ENTRIES_MAP, 128);
            Map<Integer, Long> expected = new TreeMap<>();
            MemorySegment key = arena.allocate(JAVA_INT);
            MemorySegment value = arena.allocate(JAVA_LONG);
            for (int k = 1; k <= 1000; k++) {
                key.set(JAVA_INT, 0, k);
                value.set(JAVA_LONG, 0, 3L * k);
                entries.put(key, value);
                expected.put(k, 3L * k);
            }

            // when
            Map<Integer, Long> readInBatchesOf128 = readAll(entries);
            // One entry per batch is less than a hash bucket with collisions holds (1000 keys in 4096
            // buckets always collide), which switches the read to the key-by-key walk midway.
            Map<Integer, Long> readInBatchesOf1 = readAll(object.openEntries(TestCounterObject.ENTRIES_MAP, 1));

            // then
            assertThat(readInBatchesOf128).isEqualTo(expected);
            assertThat(readInBatchesOf1).isEqualTo(expected);
        }
    }

    @Test
    void deleteAllSkipsMissingKeysAndEmptiesTheMap() throws NativeCallException {
        try (BpfObject object = TestCounterObject.open(); Arena arena = Arena.ofConfined()) {
            object.map(TestCounterObject.ENTRIES_MAP).setMaxEntries(4096);
            object.program(TestCounterObject.OPTIONAL_PROGRAM).setAutoload(false);
            object.load();
            BpfMapEntries entries = object.openEntries(TestCounterObject.ENTRIES_MAP, 64);
            MemorySegment value = arena.allocate(JAVA_LONG);
            // Keys 1..300 exist; every tenth key of the delete list (10, 20...) is shifted to a missing one.
            MemorySegment keysToDelete = arena.allocate(JAVA_INT, 300);
            for (int k = 1; k <= 300; k++) {
                MemorySegment key = keysToDelete.asSlice((k - 1) * 4L, 4);
                key.set(JAVA_INT, 0, k);
                entries.put(key, value);
                if (k % 10 == 0) {
                    key.set(JAVA_INT, 0, 10_000 + k);
                }
            }

            // when
            int deleted = entries.deleteAll(keysToDelete, 300);

            // then
            assertThat(deleted).isEqualTo(270);
            assertThat(readAll(entries).keySet()).containsExactly(
                    10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150,
                    160, 170, 180, 190, 200, 210, 220, 230, 240, 250, 260, 270, 280, 290, 300);
            MemorySegment key = arena.allocate(JAVA_INT);
            key.set(JAVA_INT, 0, 10);
            assertThat(entries.delete(key)).isTrue();
            assertThat(entries.delete(key)).isFalse();
            assertThat(entries.lookup(key, value)).isFalse();
        }
    }

    @Test
    void failedAttachAllDetachesWhatItAttached() throws NativeCallException {
        ProcessBpfResources before = ProcessBpfResources.ofThisProcess();
        try (BpfObject object = TestCounterObject.open()) {
            // Left enabled, the kprobe on a symbol no kernel has loads but cannot attach.
            object.load();

            assertThatThrownBy(() -> object.attachAll(cgroup2Root()))
                    .isInstanceOf(NativeCallException.class)
                    .hasMessageStartingWith("bpf_program__attach(optional_probe) failed: ");
            assertThat(ProcessBpfResources.ofThisProcess().minus(before).linkIds()).isEmpty();
        }
    }

    @Test
    void closeReleasesEveryProgramMapLinkAndDescriptor() throws NativeCallException {
        ProcessBpfResources before = ProcessBpfResources.ofThisProcess();
        BpfObject object = loadAndAttachAll();
        object.openRingBuffer(TestCounterObject.EVENTS_MAP, (memory, offset, length) -> { });
        object.openEntries(TestCounterObject.COUNTS_MAP, 16);
        ProcessBpfResources ours = ProcessBpfResources.ofThisProcess().minus(before);
        assertThat(ours.programIds()).as("count_getppid and allow_all_egress; optional_probe is not loaded")
                .hasSize(2);
        assertThat(ours.mapIds()).as("test_config, test_counts, test_entries, test_events").hasSize(4);
        assertThat(ours.linkIds()).hasSize(2);
        assertThat(ours.anonymousInodes()).containsEntry("[eventpoll]", 1);

        // when
        object.close();
        object.close();

        // then
        assertThat(ProcessBpfResources.ofThisProcess().minus(before).anonymousInodes()).isEmpty();
        // The kernel frees a program or map after an RCU grace period, so the listings may lag a little.
        assertEventuallyNoneListed("prog", ours.programIds());
        assertEventuallyNoneListed("map", ours.mapIds());
        assertEventuallyNoneListed("link", ours.linkIds());
    }

    /** The fields of struct test_event, and the record's size as delivered. */
    record TestEvent(int tgid, int tid, long count, long magic, int length) {

        static TestEvent read(MemorySegment memory, long offset, int length) {
            return new TestEvent(memory.get(JAVA_INT, offset), memory.get(JAVA_INT, offset + 4),
                    memory.get(JAVA_LONG, offset + 8), memory.get(JAVA_LONG, offset + 16), length);
        }
    }

    private static BpfObject loadAndAttachAll() throws NativeCallException {
        BpfObject object = TestCounterObject.open();
        try {
            object.program(TestCounterObject.OPTIONAL_PROGRAM).setAutoload(false);
            object.load();
            assertThat(object.attachAll(cgroup2Root())).extracting(BpfLink::programName)
                    .containsExactly(TestCounterObject.COUNTING_PROGRAM, TestCounterObject.CGROUP_PROGRAM);
            return object;
        } catch (NativeCallException | RuntimeException | Error e) {
            object.close();
            throw e;
        }
    }

    /** Tells the BPF program to count getppid (its number depends on the architecture) of this process. */
    private static void countGetppidOfThisProcess(BpfObject object) throws NativeCallException {
        int getppid = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 110;
            case "aarch64" -> 173;
            default -> throw new IllegalStateException("getppid number unknown on " + System.getProperty("os.arch"));
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(JAVA_INT);
            MemorySegment config = arena.allocate(8);
            config.set(JAVA_INT, 0, PID);
            config.set(JAVA_INT, 4, getppid);
            object.openEntries(TestCounterObject.CONFIG_MAP, 1).put(key, config);
        }
    }

    private static long countOfThisProcess(BpfObject object) throws NativeCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(JAVA_INT);
            key.set(JAVA_INT, 0, PID);
            MemorySegment value = arena.allocate(JAVA_LONG);
            assertThat(object.openEntries(TestCounterObject.COUNTS_MAP, 1).lookup(key, value)).isTrue();
            return value.get(JAVA_LONG, 0);
        }
    }

    private static Map<Integer, Long> readAll(BpfMapEntries map) throws NativeCallException {
        Map<Integer, Long> entries = new TreeMap<>();
        int delivered = map.readAll((keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                Long previous = entries.put(keys.get(JAVA_INT, i * 4L), values.get(JAVA_LONG, i * 8L));
                assertThat(previous).as("each key is delivered once").isNull();
            }
        });
        assertThat(delivered).isEqualTo(entries.size());
        return entries;
    }

    private static void assertEventuallyNoneListed(String objectKind, Set<Integer> ids) {
        Supplier<Set<Integer>> stillListed = () -> {
            Set<Integer> listed = ProcessBpfResources.listedByBpftool(objectKind);
            listed.retainAll(ids);
            return listed;
        };
        long deadline = System.nanoTime() + RELEASE_TIMEOUT.toNanos();
        while (!stillListed.get().isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
        }
        assertThat(stillListed.get()).as("%s ids still listed by bpftool", objectKind).isEmpty();
    }

    /** The cgroup v2 mount: the whole host, whether the system runs a unified or hybrid hierarchy. */
    private static Path cgroup2Root() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields[2].equals("cgroup2"))
                    .map(fields -> Path.of(fields[1]))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no cgroup2 file system is mounted"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> whyEbpfCannotLoad() {
        if (LibBpf.unavailableReason().isPresent()) {
            return LibBpf.unavailableReason();
        }
        try (BpfObject probe = TestCounterObject.open()) {
            probe.program(TestCounterObject.OPTIONAL_PROGRAM).setAutoload(false);
            probe.load();
            return Optional.empty();
        } catch (NativeCallException e) {
            return Optional.of(e.getMessage() + (Syscalls.geteuid() == 0 ? "" : " (not running as root)"));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
