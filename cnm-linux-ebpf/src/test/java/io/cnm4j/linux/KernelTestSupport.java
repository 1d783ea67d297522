package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.linux.internal.EbpfHostCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared set-up of the kernel integration tests: a monitor on the real eBPF backend and a
 * polling client, with helpers that poll until the expected connections arrive (closed
 * connections arrive asynchronously through the ring buffer).
 */
public final class KernelTestSupport implements AutoCloseable {
    /**
     * Multiplies every wait of the kernel tests: the kernel matrix's emulated guest
     * ({@code -Dcnm.it.timeScale}) runs several times slower than a real machine.
     */
    static final int TIME_SCALE = Integer.getInteger("cnm.it.timeScale", 1);
    static final Duration WAIT = Duration.ofSeconds(5).multipliedBy(TIME_SCALE);

    final NetworkMonitor monitor;
    final FlowClient client;
    private final List<ConnectionStats> seen = new ArrayList<>();

    private KernelTestSupport(MonitorConfig config) {
        monitor = NetworkMonitor.builder().config(config.toBuilder().backend(LinuxEbpfBackendProvider.NAME).build())
                .build();
        client = monitor.registerClient("it");
        monitor.start();
    }

    /**
     * Starts a monitor on the eBPF backend. Where eBPF cannot run, the test is skipped with the
     * reason, except under CI ({@code CI=true}), where it fails: CI must exercise the kernel.
     */
    static KernelTestSupport start(MonitorConfig config) {
        requireEbpf();
        return new KernelTestSupport(config);
    }

    static KernelTestSupport start() {
        return start(MonitorConfig.defaults());
    }

    public static void requireEbpf() {
        Optional<String> problem = EbpfHostCheck.problem();
        if (problem.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("eBPF must work in CI but cannot: " + problem.get());
            }
            Assumptions.abort("eBPF unavailable: " + problem.get());
        }
    }

    /** Polls once and remembers what came. */
    List<ConnectionStats> poll() {
        FlowSnapshot snapshot = client.poll();
        seen.addAll(snapshot.connections());
        return snapshot.connections();
    }

    /**
     * The first connection delivered so far that matches, polling every 100 ms until one comes;
     * fails after the wait.
     */
    ConnectionStats awaitConnection(Predicate<ConnectionStats> wanted, String description) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (ConnectionStats c : seen) {
            if (wanted.test(c)) {
                return c;
            }
        }
        while (true) {
            for (ConnectionStats c : poll()) {
                if (wanted.test(c)) {
                    return c;
                }
            }
            if (System.nanoTime() > deadline) {
                return fail("no connection " + description + " within " + WAIT + "; saw " + seen);
            }
            sleep(100);
        }
    }

    /** Sum of the deltas delivered so far (and in one more poll) for matching connections. */
    Counters deliveredSum(Predicate<ConnectionStats> wanted) {
        poll();
        Counters sum = Counters.ZERO;
        for (ConnectionStats c : seen) {
            if (wanted.test(c)) {
                sum = sum.plus(c.last());
            }
        }
        return sum;
    }

    /** Every delivered connection so far. */
    List<ConnectionStats> seen() {
        return List.copyOf(seen);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        monitor.close();
    }
}
