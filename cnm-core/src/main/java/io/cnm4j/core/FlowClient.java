package io.cnm4j.core;

/**
 * A polling consumer (pull): each {@link #poll()} returns what happened since this client's
 * previous poll. Independent of every other client and listener. Thread-safe; polls are
 * serialized with the monitor's collection. A client that does not poll for longer than the
 * configured client expiry is forgotten (counted in {@code clients_expired}) and registered
 * again by its next poll, which then reports every active connection in full, like a first poll
 * (connections that closed while it was forgotten were not kept for it).
 */
public interface FlowClient extends AutoCloseable {
    /** The id given at registration. */
    String id();

    /** Collects now and returns this client's deltas since its previous poll. */
    FlowSnapshot poll();

    /** Unregisters the client; its pending closed connections are discarded (a later poll registers it again). */
    @Override
    void close();
}
