package io.cnm4j.core.spi;

/**
 * Receives the live flows a backend reads at collection time. Called on the monitor's
 * collecting thread only; the event is applied before {@link #accept} returns, so the backend
 * may reuse one instance for every flow.
 */
@FunctionalInterface
public interface ActiveConnectionConsumer {
    /**
     * Receives one live flow.
     *
     * @param update the flow's current counters; valid only during the call
     */
    void accept(ConnectionEvent update);
}
