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
 * in {@link #cpuOps}.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpuRate {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long startCpuNanos;

    /** Operations of the iteration. */
    public long cpuOps;

    /** CPU milliseconds of the iteration on the benchmark thread. */
    public double cpuMillis;

    @Setup(Level.Iteration)
    public void start() {
        cpuOps = 0;
        cpuMillis = 0;
        startCpuNanos = threads.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stop() {
        cpuMillis = (threads.getCurrentThreadCpuTime() - startCpuNanos) / 1e6;
    }
}
