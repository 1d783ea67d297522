package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Marks connections whose both ends are on this host: same address at both ends, both ends on
 * loopback, or a remote endpoint that is the local endpoint of another connection in the same
 * snapshot (Datadog's rule).
 */
final class IntraHostMarker {
    private record Endpoint(InetAddress address, int port) {
    }

    private IntraHostMarker() {
    }

    static List<ConnectionStats> mark(List<ConnectionStats> connections) {
        Set<Endpoint> localEndpoints = new HashSet<>();
        for (ConnectionStats c : connections) {
            localEndpoints.add(new Endpoint(c.key().localAddress(), c.key().localPort()));
        }
        return connections.stream().map(c -> {
            ConnectionKey k = c.key();
            boolean intra = k.localAddress().equals(k.remoteAddress())
                    || k.localAddress().isLoopbackAddress() && k.remoteAddress().isLoopbackAddress()
                    || localEndpoints.contains(new Endpoint(k.remoteAddress(), k.remotePort()));
            return intra ? c.withIntraHost(true) : c;
        }).toList();
    }
}
