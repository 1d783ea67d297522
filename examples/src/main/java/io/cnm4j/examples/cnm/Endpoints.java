package io.cnm4j.examples.cnm;

import io.cnm4j.core.ConnectionStats;
import java.net.Inet6Address;
import java.net.InetAddress;

/** How the tool names the ends of a connection. */
final class Endpoints {
    private Endpoints() {
    }

    /** {@code 10.0.0.1} or {@code 2001:db8::1}, without scope or host name lookup. */
    static String address(InetAddress address) {
        return compressIpv6(address, address.getHostAddress());
    }

    /** {@code 10.0.0.1:443} or {@code [2001:db8::1]:443}. */
    static String addressAndPort(InetAddress address, int port) {
        String text = address(address);
        return (address instanceof Inet6Address ? "[" + text + "]" : text) + ":" + port;
    }

    /** The remote end: the first DNS name that resolved it when known, else its address. */
    static String remoteHost(ConnectionStats c) {
        return c.dnsNames().isEmpty() ? address(c.key().remoteAddress()) : c.dnsNames().get(0);
    }

    /** The remote end with its port: {@code example.com:443} or {@code 93.184.216.34:443}. */
    static String remoteWithPort(ConnectionStats c) {
        return c.dnsNames().isEmpty()
                ? addressAndPort(c.key().remoteAddress(), c.key().remotePort())
                : c.dnsNames().get(0) + ":" + c.key().remotePort();
    }

    private static String compressIpv6(InetAddress address, String text) {
        if (!(address instanceof Inet6Address)) {
            return text;
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | bytes[2 * i + 1] & 0xFF;
        }
        // RFC 5952: the longest run of two or more zero groups, the first on a tie, becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
            i = Math.max(i, start + 1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
            } else {
                if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                    out.append(':');
                }
                out.append(Integer.toHexString(groups[i]));
            }
        }
        return out.toString();
    }
}
