package io.cnm4j.examples.fleet;

/**
 * The two ends of one connection in one window, as far as they were reported: the join of the
 * client host's and the server host's records on the shared tuple. Immutable.
 *
 * @param client what the client host reported, or null when it did not (an unmonitored client)
 * @param server what the server host reported, or null when it did not (an external server)
 */
public record ConnectionPair(ConnectionEnd client, ConnectionEnd server) {
    static final ConnectionPair EMPTY = new ConnectionPair(null, null);

    /** This pair with one more report of either end (several intervals in a window add up). */
    ConnectionPair with(ConnectionEnd end) {
        if (end.client()) {
            return new ConnectionPair(client == null ? end : client.plus(end), server);
        }
        return new ConnectionPair(client, server == null ? end : server.plus(end));
    }

    /** The calling service: the client's tag, else the address the server saw. */
    String sourceService() {
        return client != null ? client.service() : server.peer();
    }

    /** The called service: the server's tag, else the endpoint the client called. */
    String destinationService() {
        return server != null ? server.service() : client.peer();
    }

    String sourceZone() {
        return client != null ? client.zone() : ConnectionEnd.UNKNOWN_ZONE;
    }

    String destinationZone() {
        return server != null ? server.zone() : ConnectionEnd.UNKNOWN_ZONE;
    }

    /**
     * One connection. Bytes and failures are the client's view when it reported (the server
     * saw the same bytes, and never sees a refused attempt), else the server's; each end
     * retransmits its own segments, so those add up.
     */
    Totals totals() {
        ConnectionEnd view = client != null ? client : server;
        long retransmits = (client != null ? client.retransmits() : 0) + (server != null ? server.retransmits() : 0);
        return new Totals(view.bytes(), 1, view.failures(), retransmits);
    }

    String encode() {
        return encodeEnd(client) + "\n" + encodeEnd(server);
    }

    static ConnectionPair decode(String text) {
        String[] ends = text.split("\n", -1);
        return new ConnectionPair(decodeEnd(ends[0]), decodeEnd(ends[1]));
    }

    static String encodeEnd(ConnectionEnd end) {
        if (end == null) {
            return "";
        }
        return String.join("\t", TextSerde.clean(end.tuple()), Boolean.toString(end.client()),
                TextSerde.clean(end.service()), TextSerde.clean(end.zone()), TextSerde.clean(end.peer()),
                Long.toString(end.bytes()), Long.toString(end.failures()), Long.toString(end.retransmits()));
    }

    static ConnectionEnd decodeEnd(String text) {
        if (text.isEmpty()) {
            return null;
        }
        String[] f = text.split("\t", -1);
        return new ConnectionEnd(f[0], Boolean.parseBoolean(f[1]), f[2], f[3], f[4],
                Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
    }
}
