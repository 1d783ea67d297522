package io.cnm4j.examples.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one host reported about one connection in one {@code "type":"conn"} JSON line, reduced to
 * what the fleet map needs, with the tuple that both ends share. Immutable.
 *
 * @param tuple the connection seen from both ends alike: protocol, client endpoint, server endpoint
 * @param client whether the reporting host is the client end
 * @param service the reporter's {@code service} tag, or its address when untagged
 * @param zone the reporter's {@code zone} tag, or {@code unknown}
 * @param peer how the reporter names the other end: its address, with the port for a server
 * @param bytes bytes sent plus received
 * @param failures failed attempts, all errnos together
 * @param retransmits segments this end retransmitted
 */
public record ConnectionEnd(String tuple, boolean client, String service, String zone, String peer,
        long bytes, long failures, long retransmits) {
    static final String UNKNOWN_ZONE = "unknown";
    private static final JsonFactory JSON = new JsonFactory();

    /** A copy whose counters are this end's plus {@code later}'s, labelled as {@code later}. */
    ConnectionEnd plus(ConnectionEnd later) {
        return new ConnectionEnd(tuple, client, later.service, later.zone, later.peer, bytes + later.bytes,
                failures + later.failures, retransmits + later.retransmits);
    }

    /**
     * Reads a connection line; empty for another type of line or a malformed one (a topic may
     * hold anything, and one bad record must not stop the map).
     */
    public static Optional<ConnectionEnd> parse(String line) {
        Map<String, Object> fields = new HashMap<>();
        Map<String, String> tags = new HashMap<>();
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT && (name.equals("nat") || name.equals("tags")
                        || name.equals("tcp_failures"))) {
                    readObject(parser, name, fields, tags);
                } else if (value.isScalarValue()) {
                    fields.put(name, value.isNumeric() ? (Object) parser.getLongValue() : parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!"conn".equals(fields.get("type"))) {
            return Optional.empty();
        }
        // After NAT: the translated tuple is the one the other end sees.
        String prefix = fields.containsKey("nat.laddr") ? "nat." : "";
        String local = (String) fields.get(prefix + "laddr");
        long localPort = number(fields, prefix + "lport");
        String remote = (String) fields.get(prefix + "raddr");
        long remotePort = number(fields, prefix + "rport");
        if (local == null || remote == null) {
            return Optional.empty();
        }
        boolean client = switch (String.valueOf(fields.get("direction"))) {
            case "outgoing" -> true;
            case "incoming" -> false;
            // Unknown roles: the ephemeral (higher) port is the client's; ties broken by address.
            default -> localPort != remotePort ? localPort > remotePort : local.compareTo(remote) > 0;
        };
        String localEnd = endpoint(local, localPort);
        String remoteEnd = endpoint(remote, remotePort);
        String tuple = fields.get("proto") + " " + (client ? localEnd + " > " + remoteEnd : remoteEnd + " > " + localEnd);
        return Optional.of(new ConnectionEnd(tuple, client, tags.getOrDefault("service", local),
                tags.getOrDefault("zone", UNKNOWN_ZONE), client ? remoteEnd : remote,
                number(fields, "bytes_sent") + number(fields, "bytes_recv"), number(fields, "failures"),
                number(fields, "retransmits")));
    }

    private static void readObject(JsonParser parser, String object, Map<String, Object> fields,
            Map<String, String> tags) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (object) {
                case "tags" -> tags.put(name, parser.getText());
                case "tcp_failures" -> fields.merge("failures", parser.getLongValue(), (a, b) -> (Long) a + (Long) b);
                default -> fields.put(object + "." + name, value.isNumeric() ? (Object) parser.getLongValue() : parser.getText());
            }
        }
    }

    private static long number(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof Long value ? value : 0;
    }

    private static String endpoint(String address, long port) {
        return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    }
}
