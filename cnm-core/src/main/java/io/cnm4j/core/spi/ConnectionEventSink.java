package io.cnm4j.core.spi;

/**
 * Where a backend hands events to the monitor: claim, fill, then publish or abort (Agrona's
 * claim/commit/abort). Producers may call from any thread; no method blocks. When the ingestion
 * queue is full, {@link #claim()} returns null and the loss is counted as {@code queue_dropped}.
 * Every claimed event must end in exactly one {@link #publish} or {@link #abort}: a producer that
 * fails while filling aborts, so that the event returns to the pool instead of leaking.
 */
public interface ConnectionEventSink {
    /** {@return a cleared event to fill, or null when the queue is full (the drop is already counted)} */
    ConnectionEvent claim();

    /**
     * Hands a claimed and filled event to the monitor; the caller must not touch it afterwards.
     *
     * @param event an event returned by {@link #claim()}
     */
    void publish(ConnectionEvent event);

    /**
     * Returns a claimed event to the pool without publishing it; the caller must not touch it afterwards.
     *
     * @param event an event returned by {@link #claim()}
     */
    void abort(ConnectionEvent event);
}
