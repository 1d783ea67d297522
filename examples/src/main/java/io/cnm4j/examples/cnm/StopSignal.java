package io.cnm4j.examples.cnm;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a command's main loop to stop, on request ({@link #trigger()}, for example the {@code q}
 * key) or on Ctrl-C: a shutdown hook triggers it and then waits, a few seconds at most, until
 * the command has closed its monitor ({@link #close()}), so that every kernel object is freed
 * before the JVM exits; if the command is stuck, the hook closes the monitor itself
 * ({@link #closeIfStuck}). Thread-safe.
 */
final class StopSignal implements AutoCloseable {
    private static final long CLEANUP_WAIT_SECONDS = 3;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private final Deque<AutoCloseable> lastResort = new ConcurrentLinkedDeque<>();

    private StopSignal() {
        hook = new Thread(this::awaitCleanup, "cnm4j-shutdown");
    }

    /** A signal that Ctrl-C (or any JVM shutdown) triggers. */
    static StopSignal onShutdown() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    private void awaitCleanup() {
        stop.countDown();
        try {
            if (finished.await(CLEANUP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AutoCloseable resource;
        while ((resource = lastResort.pollLast()) != null) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("cnm: closing on exit failed: " + e.getMessage());
            }
        }
    }

    /**
     * On Ctrl-C, closes {@code resource} from the hook when the command has not finished in
     * time; resources are closed in the reverse order of registration, like try-with-resources.
     */
    void closeIfStuck(AutoCloseable resource) {
        lastResort.addLast(resource);
    }

    /** Asks the main loop to stop. */
    void trigger() {
        stop.countDown();
    }

    boolean isTriggered() {
        return stop.getCount() == 0;
    }

    /**
     * Waits until {@code deadlineNanos} ({@link System#nanoTime()} time) or a stop, whichever is first.
     *
     * @return true when stopped
     */
    boolean awaitUntil(long deadlineNanos) {
        try {
            return stop.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Says the command has cleaned up; removes the hook unless the JVM is already shutting down. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it only waits for the countDown above.
        }
    }
}
