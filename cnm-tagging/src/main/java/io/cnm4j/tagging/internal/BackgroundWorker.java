package io.cnm4j.tagging.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread named {@code cnm4j-<role>} that runs a duty every period, or sooner when
 * {@linkplain #wake() woken} (a cache miss asks for a refresh). Every run happens inside one
 * catch: a failing duty is logged and counted and the thread carries on, so it never dies
 * silently. Closing stops and joins it; closing twice is harmless.
 */
public final class BackgroundWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWorker.class);

    private final String role;
    private final Runnable duty;
    private final long periodNanos;
    private final Thread thread;
    private final AtomicBoolean woken = new AtomicBoolean(true);
    private final LongAdder errors = new LongAdder();
    private final LongAdder runs = new LongAdder();
    private volatile boolean running = true;

    public BackgroundWorker(String role, Duration period, Runnable duty) {
        this.role = role;
        this.duty = duty;
        this.periodNanos = period.toNanos();
        this.thread = new Thread(this::loop, "cnm4j-" + role);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (woken.getAndSet(false) || now - next >= 0) {
                try {
                    duty.run();
                } catch (Throwable t) { // one catch for every duty: the worker must outlive any failure
                    errors.increment();
                    LOG.warn("cnm4j-{} failed; retrying next period", role, t);
                    if (t instanceof Error && !(t instanceof AssertionError) && !(t instanceof LinkageError)) {
                        // OutOfMemoryError and the like: keep running, but do not spin
                        LockSupport.parkNanos(periodNanos);
                    }
                }
                runs.increment();
                next = System.nanoTime() + periodNanos;
            } else {
                LockSupport.parkNanos(Math.min(next - now, 100_000_000L));
            }
        }
    }

    /** Asks for a run as soon as possible; never blocks. */
    public void wake() {
        woken.set(true);
        LockSupport.unpark(thread);
    }

    /** Duty runs that threw, since start. */
    public long errors() {
        return errors.sum();
    }

    /** Duty runs completed (successful or not), since start. */
    public long runs() {
        return runs.sum();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
