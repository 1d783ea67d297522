package io.cnm4j.core;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The tuple that identifies a connection for delivery: connections with equal keys and
 * direction are aggregated in a snapshot, whatever their socket cookies.
 *
 * @param family address family
 * @param protocol transport protocol
 * @param localAddress address on this host
 * @param localPort port on this host, 0..65535
 * @param remoteAddress peer address
 * @param remotePort peer port, 0..65535
 * @param pid process id that owns the connection, 0 when unknown
 * @param netns network namespace inode, 0 when unknown
 */
public record ConnectionKey(
        Family family,
        Protocol protocol,
        InetAddress localAddress,
        int localPort,
        InetAddress remoteAddress,
        int remotePort,
        int pid,
        long netns) {

    public ConnectionKey {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (localPort < 0 || localPort > 0xFFFF || remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + localPort + ", " + remotePort);
        }
    }

    @Override
    public String toString() {
        return protocol.jsonName() + " " + localAddress.getHostAddress() + ":" + localPort + " -> "
                + remoteAddress.getHostAddress() + ":" + remotePort + " pid=" + pid + " netns=" + netns;
    }
}
