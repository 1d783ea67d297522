package io.cnm4j.core;

/**
 * A polling consumer (pull): each {@link #poll()} returns what happened since this client's
 * previous poll. Independent of every other client and listener. Thread-safe; polls are
 * serialized with the monitor's collection. A client that does not poll for longer than the
 * configured client expiry is forgotten; its next poll then fails with
 * {@link IllegalStateException}.
 */
public interface FlowClient extends AutoCloseable {
    /** {@return the id given at registration} */
    String id();

    /** {@return this client's deltas since its previous poll, collected now} */
    FlowSnapshot poll();

    /** Unregisters the client; its pending closed connections are discarded. */
    @Override
    void close();
}
