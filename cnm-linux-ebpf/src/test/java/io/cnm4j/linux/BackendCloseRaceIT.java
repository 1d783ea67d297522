package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.internal.EventPipeline;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.linux.internal.EbpfBackend;
import io.cnm4j.linux.internal.libbpf.ProcessBpfResources;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Closing the eBPF backend from one thread while another reads its maps, over and over, with 50,000
 * live TCP flows in them: no read fails, and after every round the programs, maps and links that
 * backend created are gone from the kernel and the process holds exactly the descriptors it held
 * before.
 *
 * <p>The 25,000 loopback connections (50,000 sockets, both ends tracked) are set up once, spread
 * over child processes because one process may hold only 20,000 descriptors; a fresh backend adopts
 * each socket when it next moves data, so every round makes each end send one byte.
 */
class BackendCloseRaceIT {
    private static final int ROUNDS = 200;
    private static final int PROCESSES = 4;
    private static final int CONNECTIONS_PER_PROCESS = 6_250;
    private static final int LIVE_FLOWS = 2 * PROCESSES * CONNECTIONS_PER_PROCESS;
    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * Holds count connections to its own listener; on each input line, sends one byte from each end
     * of each (a send alone makes a socket known to a backend; the bytes wait unread) and says "swept".
     */
    private static final String CONNECTIONS_SCRIPT = """
            import resource, socket, sys
            count = int(sys.argv[1])
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(4096)
            clients, servers = [], []
            for _ in range(count):
                clients.append(socket.create_connection(listener.getsockname()))
                servers.append(listener.accept()[0])
            print("ready", flush=True)
            ends = clients + servers
            for line in sys.stdin:
                for end in ends:
                    end.send(b"x")
                print("swept", flush=True)
            """;

    @Test
    void closeDuringMapReadsFreesEverythingTheBackendCreated() throws Exception {
        KernelTestSupport.requireEbpf();
        MonitorConfig config = MonitorConfig.builder().maxTrackedConnections(131_072).build();
        List<PythonScript> holders = new ArrayList<>();
        try {
            Set<Integer> pids = new HashSet<>();
            for (int i = 0; i < PROCESSES; i++) {
                PythonScript holder = PythonScript.start(CONNECTIONS_SCRIPT, CONNECTIONS_PER_PROCESS);
                holders.add(holder);
                pids.add(Math.toIntExact(holder.process().pid()));
            }
            for (PythonScript holder : holders) {
                assertThat(holder.nextLine().trim()).isEqualTo("ready");
            }
            EventPipeline pipeline = new EventPipeline(1024);
            ProcessBpfResources before = ProcessBpfResources.ofThisProcess();
            long descriptorsBefore = descriptorCount();
            long started = System.nanoTime();

            for (int round = 1; round <= ROUNDS; round++) {
                runRound(round, config, pipeline, holders, pids, before, descriptorsBefore);
            }

            System.out.printf("BackendCloseRaceIT: %d rounds with %d live flows in %d s%n", ROUNDS, LIVE_FLOWS,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
        } finally {
            for (PythonScript holder : holders) {
                holder.close();
            }
        }
    }

    private static void runRound(int round, MonitorConfig config, EventPipeline pipeline, List<PythonScript> holders,
            Set<Integer> pids, ProcessBpfResources before, long descriptorsBefore) throws Exception {
        EbpfBackend backend = EbpfBackend.open(new BackendContext(config, pipeline));
        backend.start();
        ProcessBpfResources ours = ProcessBpfResources.ofThisProcess().minus(before);
        assertThat(ours.programIds()).as("round %d: programs", round).isNotEmpty();
        assertThat(ours.mapIds()).as("round %d: maps", round).isNotEmpty();
        assertThat(ours.linkIds()).as("round %d: links", round).isNotEmpty();
        sweep(holders);

        MapReader reader = new MapReader(backend, pids);
        Thread readerThread = Thread.ofPlatform().name("cnm4j-test-map-reader").start(reader);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (reader.largestRead < LIVE_FLOWS && reader.failure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(reader.largestRead).as("round %d: our flows in one read", round).isEqualTo(LIVE_FLOWS);
        // At a random point of the reads going on: between two, or in the middle of a batch.
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(Math.max(1, reader.lastReadNanos)));
        backend.close();
        reader.stop = true;
        readerThread.join(WAIT.toMillis());
        backend.close();

        assertThat(readerThread.isAlive()).as("round %d: reader stopped", round).isFalse();
        assertThat(reader.failure.get()).as("round %d: a read during close failed", round).isNull();
        ProcessBpfResources left = ProcessBpfResources.ofThisProcess().minus(before);
        assertThat(left.anonymousInodes()).as("round %d: BPF descriptors left", round).isEmpty();
        assertThat(descriptorCount()).as("round %d: descriptors of the process", round).isEqualTo(descriptorsBefore);
        assertEventuallyNoneListed(round, "prog", ours.programIds());
        assertEventuallyNoneListed(round, "map", ours.mapIds());
        assertEventuallyNoneListed(round, "link", ours.linkIds());
    }

    /** Reads the backend's maps again and again until told to stop, counting the flows of our child processes. */
    private static final class MapReader implements Runnable {
        private final EbpfBackend backend;
        private final Set<Integer> pids;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean stop;
        volatile int largestRead;
        volatile long lastReadNanos;
        private int counted;

        MapReader(EbpfBackend backend, Set<Integer> pids) {
            this.backend = backend;
            this.pids = pids;
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    long start = System.nanoTime();
                    counted = 0;
                    backend.readActive(this::count);
                    backend.telemetry();
                    lastReadNanos = System.nanoTime() - start;
                    largestRead = Math.max(largestRead, counted);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        private void count(ConnectionEvent flow) {
            if (pids.contains(flow.pid())) {
                counted++;
            }
        }
    }

    private static void sweep(List<PythonScript> holders) throws Exception {
        for (PythonScript holder : holders) {
            OutputStream input = holder.process().getOutputStream();
            input.write("sweep\n".getBytes(StandardCharsets.US_ASCII));
            input.flush();
        }
        for (PythonScript holder : holders) {
            assertThat(holder.nextLine().trim()).isEqualTo("swept");
        }
    }

    /** The kernel frees a program or map after an RCU grace period, so the listings may lag a little. */
    private static void assertEventuallyNoneListed(int round, String kind, Set<Integer> ids)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Set<Integer> listed = new HashSet<>(ProcessBpfResources.listedByBpftool(kind));
        listed.retainAll(ids);
        while (!listed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            listed = new HashSet<>(ProcessBpfResources.listedByBpftool(kind));
            listed.retainAll(ids);
        }
        assertThat(listed).as("round %d: %s ids of the closed backend still listed by bpftool", round, kind).isEmpty();
    }

    private static long descriptorCount() {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            // The listing's own directory descriptor is counted in every call alike.
            return descriptors.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
