package io.cnm4j.windows.internal.flows;

import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps a copy of every published event; thread-safe. */
final class CollectingSink implements ConnectionEventSink {
    private final List<ConnectionEvent> published = new ArrayList<>();
    private int refusals;

    /** The next {@code count} claims return null, as from a full queue. */
    synchronized void refuseNext(int count) {
        refusals = count;
    }

    @Override
    public synchronized ConnectionEvent claim() {
        if (refusals > 0) {
            refusals--;
            return null;
        }
        return new ConnectionEvent();
    }

    @Override
    public synchronized void publish(ConnectionEvent event) {
        published.add(new ConnectionEvent().copyFrom(event));
    }

    @Override
    public void abort(ConnectionEvent event) {
        // claim() allocates each event, so an aborted one is simply forgotten
    }

    synchronized List<ConnectionEvent> published() {
        return List.copyOf(published);
    }

    /** Waits up to 5 s for at least {@code count} events. */
    List<ConnectionEvent> await(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (published().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return published();
    }
}
