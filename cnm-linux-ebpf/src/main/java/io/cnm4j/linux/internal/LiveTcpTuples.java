package io.cnm4j.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TCP sockets of this network namespace that are still alive (any state but TIME_WAIT), from
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}, keyed by their tuple. Used to find map entries
 * whose socket went away without the kernel running the close hooks for it.
 */
final class LiveTcpTuples {
    private static final String TIME_WAIT = "06";

    private final Set<String> tuples;

    LiveTcpTuples(Set<String> tuples) {
        this.tuples = tuples;
    }

    static LiveTcpTuples read() {
        Set<String> tuples = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                parse(Files.readAllLines(Path.of(table)), tuples);
            } catch (IOException e) {
                // IPv6 may be disabled: its table is then absent
            }
        }
        return new LiveTcpTuples(tuples);
    }

    /** Adds the tuples of the live sockets in a {@code /proc/net/tcp[6]} table. */
    static void parse(List<String> tableLines, Set<String> into) {
        for (int i = 1; i < tableLines.size(); i++) {
            String[] fields = tableLines.get(i).trim().split("\\s+");
            if (fields.length > 3 && !fields[3].equals(TIME_WAIT)) {
                into.add(endpoint(fields[1]) + ">" + endpoint(fields[2]));
            }
        }
    }

    /** Whether a socket with this tuple (addresses of 4 or 16 bytes in network order) is alive. */
    boolean contains(byte[] localAddress, int localLength, int localPort, byte[] remoteAddress, int remoteLength,
            int remotePort) {
        return tuples.contains(text(localAddress, localLength, localPort) + ">"
                + text(remoteAddress, remoteLength, remotePort));
    }

    /** {@code ADDR:PORT} as the kernel prints it: 32-bit words in host (little-endian) order, hex. */
    private static String endpoint(String field) {
        int colon = field.indexOf(':');
        String address = field.substring(0, colon);
        byte[] bytes = new byte[address.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int hexAt = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(address.substring(hexAt, hexAt + 2), 16);
            }
        }
        return text(bytes, bytes.length, Integer.parseInt(field.substring(colon + 1), 16));
    }

    /** Canonical text of an endpoint; an IPv4-mapped IPv6 address is written as IPv4. */
    private static String text(byte[] address, int length, int port) {
        int start = 0;
        if (length == 16 && isIpv4Mapped(address)) {
            start = 12;
        }
        StringBuilder out = new StringBuilder();
        for (int i = start; i < length; i++) {
            out.append(String.format(Locale.ROOT, "%02x", address[i] & 0xFF));
        }
        return out.append(':').append(port).toString();
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }
}
