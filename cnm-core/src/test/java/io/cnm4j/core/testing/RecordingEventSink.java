package io.cnm4j.core.testing;

import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps every published event (a fresh one per claim, so nothing is reused) and
 * counts aborts. Thread-safe: backends publish from their own threads.
 */
public final class RecordingEventSink implements ConnectionEventSink {
    private final List<ConnectionEvent> published = new ArrayList<>();
    private int aborted;

    @Override
    public ConnectionEvent claim() {
        return new ConnectionEvent();
    }

    @Override
    public synchronized void publish(ConnectionEvent event) {
        published.add(event);
    }

    @Override
    public synchronized void abort(ConnectionEvent event) {
        aborted++;
    }

    /** A copy of the events published so far, in publication order. */
    public synchronized List<ConnectionEvent> published() {
        return List.copyOf(published);
    }

    /** Claims that ended in an abort. */
    public synchronized int aborted() {
        return aborted;
    }
}
