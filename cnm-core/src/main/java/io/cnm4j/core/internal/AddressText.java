package io.cnm4j.core.internal;

import java.net.InetAddress;

/**
 * Formats an address as the JSON lines write it: dotted quad for IPv4, the canonical RFC 5952 form
 * for IPv6 (lower-case hex, leading zeros dropped, the longest run of two or more zero groups, the
 * first on a tie, shortened to {@code ::}), never with a scope id, and {@code ::ffff:a.b.c.d} for an
 * IPv4-mapped {@link java.net.Inet6Address}.
 *
 * <p>Why not {@link InetAddress#getHostAddress()}: for IPv6 it writes every group
 * ({@code fe80:0:0:0:0:0:0:1}) and appends the scope ({@code %eth0}), so the same address would
 * not compare equal as text across hosts and scripts.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class AddressText {
    private AddressText() {
    }

    /** The text of {@code address}, as described on this class. */
    public static String of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | bytes[2 * i + 1] & 0xFF;
        }
        if (isIpv4Mapped(groups)) {
            return "::ffff:" + (bytes[12] & 0xFF) + '.' + (bytes[13] & 0xFF) + '.' + (bytes[14] & 0xFF) + '.'
                    + (bytes[15] & 0xFF);
        }
        // RFC 5952 4.2: shorten the longest run of at least two zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static boolean isIpv4Mapped(int[] groups) {
        for (int i = 0; i < 5; i++) {
            if (groups[i] != 0) {
                return false;
            }
        }
        return groups[5] == 0xFFFF;
    }
}
