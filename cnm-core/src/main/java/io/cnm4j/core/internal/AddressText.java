package io.cnm4j.core.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

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
 * <p>{@link #format} writes ASCII bytes into the caller's buffer, so that a writer of many lines
 * allocates nothing per address. Stateless; safe to call from any thread.
 */
public final class AddressText {
    /** The longest text {@link #format} writes: eight groups of four hex digits and seven colons. */
    public static final int MAX_LENGTH = 39;

    private static final int GROUPS = 8;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAPPED_PREFIX = "::ffff:".getBytes(StandardCharsets.US_ASCII);

    private AddressText() {
    }

    /** The text of {@code address}, as described on this class. */
    public static String of(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] text = new byte[MAX_LENGTH];
        return new String(text, 0, format(bytes, bytes.length, text, 0), StandardCharsets.US_ASCII);
    }

    /**
     * Writes the text of an address, as described on this class, in ASCII at {@code into[start]}.
     *
     * @param address the address's bytes in network order
     * @param length 4 for IPv4, 16 for IPv6
     * @param into room for at least {@link #MAX_LENGTH} bytes from {@code start}
     * @param start where the text begins
     * @return the index just after the text
     */
    public static int format(byte[] address, int length, byte[] into, int start) {
        if (length == 4) {
            return appendDotted(address, 0, into, start);
        }
        if (isIpv4Mapped(address)) {
            System.arraycopy(MAPPED_PREFIX, 0, into, start, MAPPED_PREFIX.length);
            return appendDotted(address, 12, into, start + MAPPED_PREFIX.length);
        }
        // RFC 5952 4.2: shorten the longest run of at least two zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < GROUPS; ) {
            if (group(address, i) != 0) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < GROUPS && group(address, i) == 0) {
                i++;
            }
            if (i - runStart > bestLength) {
                bestStart = runStart;
                bestLength = i - runStart;
            }
        }
        int at = start;
        for (int i = 0; i < GROUPS; i++) {
            if (i == bestStart) {
                into[at++] = ':';
                into[at++] = ':';
                i += bestLength - 1;
                continue;
            }
            if (at > start && into[at - 1] != ':') {
                into[at++] = ':';
            }
            at = appendHex(group(address, i), into, at);
        }
        return at;
    }

    private static int group(byte[] address, int index) {
        return (address[2 * index] & 0xFF) << 8 | address[2 * index + 1] & 0xFF;
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 5; i++) {
            if (group(address, i) != 0) {
                return false;
            }
        }
        return group(address, 5) == 0xFFFF;
    }

    /** Appends the four bytes from {@code offset} as a dotted quad. */
    private static int appendDotted(byte[] address, int offset, byte[] into, int at) {
        for (int i = offset; i < offset + 4; i++) {
            if (i > offset) {
                into[at++] = '.';
            }
            at = appendDecimal(address[i] & 0xFF, into, at);
        }
        return at;
    }

    private static int appendDecimal(int value, byte[] into, int at) {
        if (value >= 100) {
            into[at++] = (byte) ('0' + value / 100);
        }
        if (value >= 10) {
            into[at++] = (byte) ('0' + value / 10 % 10);
        }
        into[at++] = (byte) ('0' + value % 10);
        return at;
    }

    /** Appends a 16-bit group in lower-case hex without leading zeros. */
    private static int appendHex(int group, byte[] into, int at) {
        for (int shift = 12; shift > 0; shift -= 4) {
            if (group >>> shift != 0) {
                into[at++] = HEX_DIGITS[group >>> shift & 0xF];
            }
        }
        into[at++] = HEX_DIGITS[group & 0xF];
        return at;
    }
}
