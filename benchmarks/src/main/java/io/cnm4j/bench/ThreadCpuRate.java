package io.cnm4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The benchmark thread's own CPU time, as secondary results that JMH sums over the measurement
 * iterations: {@code cpuOps} operations in {@code cpuMillis} milliseconds of CPU, so
 * {@code cpuOps / cpuMillis * 1000} is operations per second of one core. Unlike the primary score,
 * that rate does not fall when other processes take the cores. The benchmark counts its operations
 * in {@link #cpuOps}, and runs what it needs but does not measure through {@link #excluding}.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpuRate {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long startCpuNanos;
    private long excludedCpuNanos;

    /** Operations of the iteration. */
    public long cpuOps;

    /** CPU milliseconds of the iteration on the benchmark thread. */
    public double cpuMillis;

    @Setup(Level.Iteration)
    public void start() {
        cpuOps = 0;
        cpuMillis = 0;
        excludedCpuNanos = 0;
        startCpuNanos = threads.getCurrentThreadCpuTime();
    }

    /** Runs {@code work} on this thread without counting its CPU time in {@link #cpuMillis}. */
    public void excluding(Runnable work) {
        long start = threads.getCurrentThreadCpuTime();
        work.run();
        excludedCpuNanos += threads.getCurrentThreadCpuTime() - start;
    }

    @TearDown(Level.Iteration)
    public void stop() {
        cpuMillis = (threads.getCurrentThreadCpuTime() - startCpuNanos - excludedCpuNanos) / 1e6;
    }
}
