package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Marks connections whose both ends are on this host: same address at both ends, both ends on
 * loopback, or a remote endpoint that is the local endpoint of another connection in the same
 * read (Datadog's rule). Its index of local endpoints is reused from read to read. Engine-confined.
 */
final class IntraHostMarker {
    private FlowAggregate[] localEndpoints = new FlowAggregate[64];
    private int mask = localEndpoints.length - 1;

    /** Marks the intra-host aggregates of {@code table}. */
    void mark(AggregateTable table) {
        int needed = Integer.highestOneBit(Math.max(32, table.size()) * 2 - 1) << 1;
        if (localEndpoints.length < needed) {
            localEndpoints = new FlowAggregate[needed];
            mask = needed - 1;
        } else {
            Arrays.fill(localEndpoints, null);
        }
        for (int i = 0; i < table.size(); i++) {
            FlowAggregate aggregate = table.get(i);
            ConnectionKey key = aggregate.key();
            int slot = slot(key.localAddress(), key.localPort());
            while (localEndpoints[slot] != null && !isLocalEndpoint(localEndpoints[slot], key.localAddress(),
                    key.localPort())) {
                slot = (slot + 1) & mask;
            }
            localEndpoints[slot] = aggregate;
        }
        for (int i = 0; i < table.size(); i++) {
            FlowAggregate aggregate = table.get(i);
            ConnectionKey key = aggregate.key();
            if (key.localAddress().equals(key.remoteAddress())
                    || key.localAddress().isLoopbackAddress() && key.remoteAddress().isLoopbackAddress()
                    || hasLocalEndpoint(key.remoteAddress(), key.remotePort())) {
                aggregate.markIntraHost();
            }
        }
    }

    private boolean hasLocalEndpoint(InetAddress address, int port) {
        for (int slot = slot(address, port); localEndpoints[slot] != null; slot = (slot + 1) & mask) {
            if (isLocalEndpoint(localEndpoints[slot], address, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLocalEndpoint(FlowAggregate aggregate, InetAddress address, int port) {
        return aggregate.key().localPort() == port && aggregate.key().localAddress().equals(address);
    }

    private int slot(InetAddress address, int port) {
        // Keyed: remote endpoints are looked up here, and a sender chooses its own address and port.
        return (int) KeyedHash.PROCESS.hash(address.hashCode(), port, 0, 0) & mask;
    }
}
