/**
 * The backend SPI: {@link io.cnm4j.core.spi.FlowBackendProvider} (found by
 * {@link java.util.ServiceLoader} or passed to the builder) opens a
 * {@link io.cnm4j.core.spi.FlowBackend}, which reports closed connections as
 * {@link io.cnm4j.core.spi.ConnectionEvent}s through a {@link io.cnm4j.core.spi.ConnectionEventSink}
 * (claim, fill, then publish or abort) and live ones on request. API for backend authors, not for
 * monitor users.
 *
 * <p>Threads: a backend publishes from threads of its own; the monitor calls
 * {@code readActive}, {@code telemetry} and the enrichment methods from its collector thread or a
 * polling client, under its lock, and {@code start}/{@code close} once each. Ownership: the monitor
 * owns the backend and closes it; events claimed from the sink belong to the pool and must not be
 * touched after publish or abort; the event handed to an active-connection consumer is only valid
 * during the call.
 */
package io.cnm4j.core.spi;
