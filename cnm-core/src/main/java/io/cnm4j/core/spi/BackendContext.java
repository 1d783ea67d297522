package io.cnm4j.core.spi;

import io.cnm4j.core.MonitorConfig;

/**
 * What a backend receives when it is opened.
 *
 * @param config the monitor's configuration
 * @param events where asynchronous events (closed connections) go
 */
public record BackendContext(MonitorConfig config, ConnectionEventSink events) {
}
