package io.cnm4j.windows.internal.flows;

import io.cnm4j.windows.internal.DriverChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread ({@code cnm4j-windows-closed-flows}) that waits for the driver's closed-flows-ready
 * event and reads the closed table as soon as it is signalled, so that closed flows do not wait
 * for the next collection and the driver's closed table does not overflow in between. A stop
 * event ends it. The agent never resets the manual-reset ready event (who does is not verified),
 * so reads are spaced by {@link #MIN_SPACING_MILLIS}: an event left signalled cannot spin the thread.
 *
 * <p>The waiter borrows both event handles; their owner closes them after {@link #stop()}.
 */
final class ClosedFlowsWaiter {
    static final int MIN_SPACING_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(ClosedFlowsWaiter.class);
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final DriverChannel channel;
    private final long stopEvent;
    private final long readyEvent;
    private final Runnable readClosed;
    private final Thread thread;
    /** Written by the waiter thread only, read by the collector: volatile suffices. */
    private volatile long wakeups;
    private volatile long waitFailures;

    ClosedFlowsWaiter(DriverChannel channel, long stopEvent, long readyEvent, Runnable readClosed) {
        this.channel = channel;
        this.stopEvent = stopEvent;
        this.readyEvent = readyEvent;
        this.readClosed = readClosed;
        this.thread = Thread.ofPlatform().daemon().name("cnm4j-windows-closed-flows").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Signals the stop event and waits for the thread; true when it ended. */
    boolean stop() {
        channel.setEvent(stopEvent);
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    long wakeups() {
        return wakeups;
    }

    long waitFailures() {
        return waitFailures;
    }

    void run() {
        long[] stopOrReady = {stopEvent, readyEvent};
        long[] stopOnly = {stopEvent};
        while (true) {
            int signalled = channel.waitForAny(stopOrReady, DriverChannel.INFINITE);
            if (signalled == 0) {
                return;
            }
            if (signalled != 1) {
                waitFailures++;
                LOG.error("waiting for the driver's closed-flows event failed ({}); closed flows are read at "
                        + "each collection only", signalled);
                return;
            }
            wakeups++;
            readClosed.run();
            if (channel.waitForAny(stopOnly, MIN_SPACING_MILLIS) == 0) {
                return;
            }
        }
    }
}
