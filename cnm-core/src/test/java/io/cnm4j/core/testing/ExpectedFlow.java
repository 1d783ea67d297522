package io.cnm4j.core.testing;

import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;

/**
 * A flow a scripted workload must produce, with its exact final counters.
 *
 * @param protocol TCP or UDP
 * @param localPort the flow's local port
 * @param remotePort the flow's remote port
 * @param bytesSent exact bytes sent, as in its closed event
 * @param bytesReceived exact bytes received, as in its closed event
 */
public record ExpectedFlow(Protocol protocol, int localPort, int remotePort, long bytesSent, long bytesReceived) {
    /** True when the event is about this flow (same protocol and ports). */
    public boolean matches(ConnectionEvent event) {
        return event.protocol() == protocol && event.localPort() == localPort && event.remotePort() == remotePort;
    }
}
