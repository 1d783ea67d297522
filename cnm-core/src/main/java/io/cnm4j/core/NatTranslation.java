package io.cnm4j.core;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The translated tuple of a NATed connection, as conntrack's reply direction sees it.
 *
 * @param localAddress translated local address
 * @param localPort translated local port
 * @param remoteAddress translated remote address
 * @param remotePort translated remote port
 */
public record NatTranslation(InetAddress localAddress, int localPort, InetAddress remoteAddress, int remotePort) {
    /**
     * Creates an instance from its components.
     */
    public NatTranslation {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }
}
