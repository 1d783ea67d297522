package io.cnm4j.windows.internal.flows;

import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps a copy of every published event; thread-safe. */
final class CollectingSink implements ConnectionEventSink {
    private final List<ConnectionEvent> published = new ArrayList<>();

    @Override
    public ConnectionEvent claim() {
        return new ConnectionEvent();
    }

    @Override
    public synchronized void publish(ConnectionEvent event) {
        published.add(new ConnectionEvent().copyFrom(event));
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
