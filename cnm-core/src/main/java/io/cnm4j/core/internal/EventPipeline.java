package io.cnm4j.core.internal;

import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;

/**
 * The bounded, lock-free hand-off from backends to the state engine. A fixed pool of
 * {@link ConnectionEvent}s circulates between a free list (any thread claims) and an MPSC
 * queue (one drain thread consumes), so steady-state ingestion allocates nothing. When every
 * event is in flight, {@link #claim()} fails fast and counts the drop; a producer never blocks.
 */
public final class EventPipeline implements ConnectionEventSink {
    private final MpmcArrayQueue<ConnectionEvent> free;
    private final MpscArrayQueue<ConnectionEvent> ready;
    private final AtomicLong dropped = new AtomicLong();

    public EventPipeline(int capacity) {
        free = new MpmcArrayQueue<>(capacity);
        ready = new MpscArrayQueue<>(capacity);
        for (int i = 0; i < capacity; i++) {
            free.offer(new ConnectionEvent());
        }
    }

    @Override
    public ConnectionEvent claim() {
        ConnectionEvent event = free.poll();
        if (event == null) {
            dropped.incrementAndGet();
        }
        return event;
    }

    @Override
    public void publish(ConnectionEvent event) {
        // Never fails: at most as many events exist as the queue holds.
        ready.offer(event);
    }

    /**
     * Applies up to {@code limit} queued events in order, returning each to the pool. Single
     * consumer thread only.
     */
    public int drain(Consumer<ConnectionEvent> apply, int limit) {
        return ready.drain(event -> {
            try {
                apply.accept(event);
            } finally {
                free.offer(event.reset());
            }
        }, limit);
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events waiting to be applied. */
    public int queued() {
        return ready.size();
    }
}
