package io.cnm4j.core.internal;

import io.cnm4j.core.Protocol;
import java.util.Locale;

/**
 * One port entry of an exclusion: {@code *}, {@code 22}, {@code 8000-9000}, optionally
 * preceded by a protocol ({@code tcp 22}, {@code udp *}).
 */
record PortRule(Protocol protocolOrNull, int lowPort, int highPort) {

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException with the reason when the entry is malformed
     */
    public static PortRule parse(String text) {
        String[] words = text.trim().toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length == 0 || words.length > 2 || words[0].isEmpty()) {
            throw new IllegalArgumentException("expected '[tcp|udp] port|low-high|*'");
        }
        Protocol protocol = null;
        String ports = words[0];
        if (words.length == 2) {
            protocol = switch (words[0]) {
                case "tcp" -> Protocol.TCP;
                case "udp" -> Protocol.UDP;
                default -> throw new IllegalArgumentException("unknown protocol '" + words[0] + "'");
            };
            ports = words[1];
        } else if (ports.equals("tcp") || ports.equals("udp")) {
            return new PortRule(ports.equals("tcp") ? Protocol.TCP : Protocol.UDP, 0, 0xFFFF);
        }
        if (ports.equals("*")) {
            return new PortRule(protocol, 0, 0xFFFF);
        }
        int dash = ports.indexOf('-');
        int low = port(dash < 0 ? ports : ports.substring(0, dash));
        int high = dash < 0 ? low : port(ports.substring(dash + 1));
        if (high < low) {
            throw new IllegalArgumentException("port range " + low + "-" + high + " is reversed");
        }
        return new PortRule(protocol, low, high);
    }

    private static int port(String text) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port number");
        }
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("port " + value + " is outside 0..65535");
        }
        return value;
    }

    /** True when the protocol and port fall under this entry. */
    public boolean matches(Protocol protocol, int port) {
        return (protocolOrNull == null || protocolOrNull == protocol) && port >= lowPort && port <= highPort;
    }
}
