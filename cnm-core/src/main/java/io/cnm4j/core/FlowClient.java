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
    /** {@return the id given at registration} */
    String id();

    /** {@return this client's deltas since its previous poll, collected now} */
    FlowSnapshot poll();

    /**
     * As {@link #poll()}, but the connections go to {@code visitor} one at a time, through a view
     * reused for each, and the returned snapshot's connection list is empty; its DNS statistics and
     * telemetry are as {@link #poll()} gives them. Visiting allocates nothing per connection unless
     * the visitor asks for DNS names, tags, NAT or an immutable copy.
     *
     * @param visitor receives each connection of this read
     * @return the read's time, backend, DNS statistics and telemetry, without connections
     */
    FlowSnapshot poll(ConnectionVisitor visitor);

    /** Unregisters the client; its pending closed connections are discarded (a later poll registers it again). */
    @Override
    void close();
}
