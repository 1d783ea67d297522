package io.cnm4j.core.internal;

import io.cnm4j.core.FlowListener;
import io.cnm4j.core.FlowSnapshot;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one listener on its own daemon thread, one snapshot at a time, so that a slow or
 * throwing listener affects nobody else. The collecting thread asks {@link #isIdle()} before
 * building the listener's snapshot; a busy listener simply reads later, losing nothing. A removed
 * listener is {@link #retire() retired} first, under the monitor's lock, so that a delivery pass
 * already iterating over it skips it instead of failing for the listeners after it.
 */
public final class ListenerDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatcher.class);

    private final FlowListener listener;
    private final String clientId;
    private final ExecutorService thread;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong failures;
    private volatile boolean retired;

    public ListenerDispatcher(FlowListener listener, String clientId, AtomicLong failures) {
        this.listener = listener;
        this.clientId = clientId;
        this.failures = failures;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cnm4j-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    public FlowListener listener() {
        return listener;
    }

    /** The state-engine client that holds this listener's deltas. */
    public String clientId() {
        return clientId;
    }

    public boolean isIdle() {
        return !busy.get();
    }

    /** Marks the listener removed: it receives nothing more, though its thread may still finish a call. */
    public void retire() {
        retired = true;
    }

    /** True once {@link #retire()} was called. */
    public boolean isRetired() {
        return retired;
    }

    /** Hands a snapshot to the listener's thread; call only when {@link #isIdle()} and not retired. */
    public void deliver(FlowSnapshot snapshot) {
        if (retired) {
            return;
        }
        busy.set(true);
        thread.execute(() -> {
            try {
                listener.onSnapshot(snapshot);
            } catch (RuntimeException | Error e) {
                failures.incrementAndGet();
                LOG.warn("listener {} threw; it keeps receiving snapshots", clientId, e);
            } finally {
                busy.set(false);
            }
        });
    }

    /** Retires the listener and stops its thread, letting a running call finish for up to a second. */
    public void shutdown() {
        retire();
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
