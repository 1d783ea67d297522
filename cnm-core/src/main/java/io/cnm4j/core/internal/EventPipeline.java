package io.cnm4j.core.internal;

import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The bounded, lock-free hand-off from backends to the state engine. A fixed pool of
 * {@link ConnectionEvent}s circulates between a free list (any thread claims) and an MPSC
 * queue (one drain thread consumes), so steady-state ingestion allocates nothing. When every
 * event is in flight, {@link #claim()} fails fast and counts the drop; a producer never blocks.
 * The queues are JCTools' atomic variants: the Unsafe-based ones make JDK 24+ print warnings.
 */
public final class EventPipeline implements ConnectionEventSink {
    private final MpmcAtomicArrayQueue<ConnectionEvent> free;
    private final MpscAtomicArrayQueue<ConnectionEvent> ready;
    private final AtomicLong dropped = new AtomicLong();

    public EventPipeline(int capacity) {
        free = new MpmcAtomicArrayQueue<>(capacity);
        ready = new MpscAtomicArrayQueue<>(capacity);
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

    @Override
    public void abort(ConnectionEvent event) {
        // Never fails for the same reason; reset so that a half-filled event cannot leak into the next claim.
        free.offer(event.reset());
    }

    /**
     * A reusable consumer of queued events that applies each with {@code apply} and returns it
     * to the pool; made once so that draining allocates nothing. Single consumer thread only.
     */
    public Drainer drainer(Consumer<ConnectionEvent> apply) {
        return new Drainer(apply);
    }

    /** Drains the queue into one apply function; see {@link #drainer}. */
    public final class Drainer implements MessagePassingQueue.Consumer<ConnectionEvent> {
        private final Consumer<ConnectionEvent> apply;

        private Drainer(Consumer<ConnectionEvent> apply) {
            this.apply = apply;
        }

        /** Applies up to {@code limit} queued events in order; returns how many. */
        public int drain(int limit) {
            return ready.drain(this, limit);
        }

        @Override
        public void accept(ConnectionEvent event) {
            try {
                apply.accept(event);
            } finally {
                free.offer(event.reset());
            }
        }
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
