package io.cnm4j.core.spi;

/**
 * Where a backend hands events to the monitor. Producers may call from any thread; neither
 * method blocks. When the ingestion queue is full, {@link #claim()} returns null and the loss
 * is counted as {@code queue_dropped}.
 */
public interface ConnectionEventSink {
    /** A cleared event to fill, or null when the queue is full (the drop is already counted). */
    ConnectionEvent claim();

    /** Hands a claimed and filled event to the monitor; the caller must not touch it afterwards. */
    void publish(ConnectionEvent event);
}
