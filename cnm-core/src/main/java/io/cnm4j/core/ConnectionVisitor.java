package io.cnm4j.core;

/**
 * Receives the connections of one read one at a time, through a reused {@link ConnectionView},
 * so that an exporter can walk a read without the monitor allocating per connection. See
 * {@link FlowClient#poll(ConnectionVisitor)}.
 */
@FunctionalInterface
public interface ConnectionVisitor {
    /**
     * One connection. Called on the polling thread, under the monitor's lock: keep it short and
     * do not call back into the monitor.
     *
     * @param connection valid only during this call
     */
    void visit(ConnectionView connection);
}
