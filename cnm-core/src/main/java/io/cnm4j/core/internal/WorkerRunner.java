package io.cnm4j.core.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one background loop on its own daemon thread named {@code cnm4j-<role>} so that it
 * cannot die silently (Agrona's {@code AgentRunner}): every duty cycle runs inside one catch,
 * each exception is counted as {@code <role>_errors} and logged once per distinct kind, and
 * after {@code maxConsecutiveFailures} failures in a row the worker stops cleanly and says so
 * in {@code <role>_stopped} (1) and in an ERROR log line.
 *
 * <p>A cycle that did no work is followed by a park of {@code idleNanos}; a failed cycle by a
 * park that doubles from 1 ms up to 1 s, so a failing resource is not spun on.
 *
 * <p>Threads: {@link #start()} and {@link #stop} are called by the owner; the counters may be
 * read from any thread.
 */
public final class WorkerRunner {
    /** One unit of a worker's loop. */
    @FunctionalInterface
    public interface DutyCycle {
        /** Does some work, waiting at most briefly; returns how much (0 when there was none). */
        int doWork() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkerRunner.class);
    private static final long FIRST_ERROR_BACKOFF_NANOS = 1_000_000L;
    private static final long MAX_ERROR_BACKOFF_NANOS = 1_000_000_000L;
    /** Bounds the memory spent remembering which errors were logged. */
    private static final int MAX_DISTINCT_ERRORS_LOGGED = 64;

    private final String role;
    private final String counterPrefix;
    private final long idleNanos;
    private final int maxConsecutiveFailures;
    private final DutyCycle cycle;
    private final Thread thread;
    private final Set<String> loggedErrors = ConcurrentHashMap.newKeySet();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running;
    private volatile boolean stoppedOnFailure;
    private boolean started;

    /**
     * @param role a short name: the thread is {@code cnm4j-<role>}, the counters
     *        {@code <role>_errors} and {@code <role>_stopped} with dashes as underscores
     */
    public WorkerRunner(String role, long idleNanos, int maxConsecutiveFailures, DutyCycle cycle) {
        if (maxConsecutiveFailures < 1) {
            throw new IllegalArgumentException("maxConsecutiveFailures must be at least 1: " + maxConsecutiveFailures);
        }
        this.role = role;
        this.counterPrefix = role.replace('-', '_');
        this.idleNanos = idleNanos;
        this.maxConsecutiveFailures = maxConsecutiveFailures;
        this.cycle = cycle;
        this.thread = Thread.ofPlatform().daemon().name("cnm4j-" + role).unstarted(this::run);
    }

    /** Starts the thread; calling it again has no effect. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        running = true;
        thread.start();
    }

    /**
     * Asks the loop to stop after its current cycle and waits up to {@code timeoutMillis}.
     * Returns true when the thread is no longer running (or never started).
     */
    public boolean stop(long timeoutMillis) {
        running = false;
        LockSupport.unpark(thread);
        if (thread.getState() == Thread.State.NEW) {
            return true;
        }
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Exceptions thrown by duty cycles since start. */
    public long errors() {
        return errors.get();
    }

    /** True once the worker gave up after {@code maxConsecutiveFailures} failures in a row. */
    public boolean stoppedOnFailure() {
        return stoppedOnFailure;
    }

    /** Adds {@code <role>_errors} and {@code <role>_stopped} to {@code counters}. */
    public void putCounters(Map<String, Long> counters) {
        counters.put(errorsCounter(), errors());
        counters.put(stoppedCounter(), stoppedOnFailure ? 1L : 0L);
    }

    /** The name of the error counter, {@code <role>_errors}. */
    public String errorsCounter() {
        return counterPrefix + "_errors";
    }

    /** The name of the counter that is 1 once the worker gave up, {@code <role>_stopped}. */
    public String stoppedCounter() {
        return counterPrefix + "_stopped";
    }

    private void run() {
        int consecutiveFailures = 0;
        long errorBackoff = FIRST_ERROR_BACKOFF_NANOS;
        try {
            while (running) {
                int work;
                try {
                    work = cycle.doWork();
                    consecutiveFailures = 0;
                    errorBackoff = FIRST_ERROR_BACKOFF_NANOS;
                } catch (Exception e) {
                    onError(e);
                    if (++consecutiveFailures >= maxConsecutiveFailures) {
                        giveUp();
                        return;
                    }
                    LockSupport.parkNanos(errorBackoff);
                    errorBackoff = Math.min(errorBackoff * 2, MAX_ERROR_BACKOFF_NANOS);
                    continue;
                }
                if (work == 0 && running && idleNanos > 0) {
                    LockSupport.parkNanos(idleNanos);
                }
            }
        } catch (Error e) {
            // Not recoverable here (out of memory, a linkage error): report it and end visibly.
            onError(e);
            giveUp();
            throw e;
        }
    }

    private void onError(Throwable e) {
        errors.incrementAndGet();
        // Messages may quote captured data (addresses, names): the WARN line names only the
        // exception type and where it was thrown; the full exception goes to DEBUG, escaped.
        StackTraceElement[] where = e.getStackTrace();
        String place = where.length > 0 ? where[0].toString() : "an unknown place";
        String kind = e.getClass().getName() + " at " + place;
        if (loggedErrors.size() < MAX_DISTINCT_ERRORS_LOGGED && loggedErrors.add(kind)) {
            LOG.warn("cnm4j-{} failed: {} (logged once; counted in {})", role, kind, errorsCounter());
            LOG.debug("cnm4j-{} failure: {}", role, LogText.escape(e));
        }
    }

    private void giveUp() {
        stoppedOnFailure = true;
        running = false;
        LOG.error("cnm4j-{} stopped after {} consecutive failures ({} = 1)", role, maxConsecutiveFailures,
                stoppedCounter());
    }
}
