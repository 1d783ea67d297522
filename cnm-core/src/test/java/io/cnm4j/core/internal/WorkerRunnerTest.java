package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkerRunnerTest {
    private static void awaitCycles(AtomicInteger cycles, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cycles.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void failingCyclesAreCountedAndTheWorkerKeepsRunning() throws InterruptedException {
        AtomicInteger cycles = new AtomicInteger();
        AtomicReference<String> threadName = new AtomicReference<>();
        WorkerRunner runner = new WorkerRunner("test-role", 100_000L, 3, () -> {
            threadName.set(Thread.currentThread().getName());
            int cycle = cycles.incrementAndGet();
            // every other cycle fails, never twice in a row, until cycle 20; then idle
            if (cycle <= 20 && cycle % 2 == 0) {
                throw new IllegalStateException("failing on purpose");
            }
            return 0;
        });

        runner.start();
        awaitCycles(cycles, 25);
        assertThat(runner.stop(5_000)).isTrue();

        assertThat(threadName).hasValue("cnm4j-test-role");
        assertThat(runner.errors()).isEqualTo(10);
        assertThat(runner.stoppedOnFailure()).isFalse();
        Map<String, Long> counters = new LinkedHashMap<>();
        runner.putCounters(counters);
        assertThat(counters).containsExactly(Map.entry("test_role_errors", 10L), Map.entry("test_role_stopped", 0L));
    }

    @Test
    void workerStopsCleanlyAndVisiblyAfterConsecutiveFailures() throws InterruptedException {
        AtomicInteger cycles = new AtomicInteger();
        WorkerRunner runner = new WorkerRunner("doomed", 0, 4, () -> {
            cycles.incrementAndGet();
            throw new java.io.IOException("failing on purpose");
        });

        runner.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!runner.stoppedOnFailure() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(runner.stop(5_000)).isTrue();

        assertThat(cycles).hasValue(4);
        assertThat(runner.errors()).isEqualTo(4);
        Map<String, Long> counters = new LinkedHashMap<>();
        runner.putCounters(counters);
        assertThat(counters).containsExactly(Map.entry("doomed_errors", 4L), Map.entry("doomed_stopped", 1L));
    }

    @Test
    void stoppingAWorkerThatNeverStartedIsHarmless() {
        WorkerRunner runner = new WorkerRunner("idle", 0, 1, () -> 0);

        assertThat(runner.stop(1_000)).isTrue();
        assertThat(runner.stop(1_000)).isTrue();
        assertThat(runner.errors()).isZero();
    }
}
