package io.cnm4j.dns.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * IP addresses as two longs, the upper and lower 64 bits of an IPv6 address, with IPv4 addresses
 * held in their IPv4-mapped form ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2). One primitive key
 * then covers both families without allocation. Stateless and thread-safe.
 */
final class Ipv6Bits {
    private static final long IPV4_MAPPED_MARKER = 0xFFFFL << 32;
    private static final int IPV4_LENGTH = 4;
    private static final int IPV6_LENGTH = 16;

    private Ipv6Bits() {
    }

    /** Upper 64 bits of the 4- or 16-byte address at {@code address[offset]}. */
    public static long high(byte[] address, int offset, int length) {
        checkLength(length);
        return length == IPV4_LENGTH ? 0L : readLong(address, offset);
    }

    /** Lower 64 bits of the 4- or 16-byte address at {@code address[offset]}. */
    public static long low(byte[] address, int offset, int length) {
        checkLength(length);
        if (length == IPV4_LENGTH) {
            long ipv4 = ((address[offset] & 0xFFL) << 24) | ((address[offset + 1] & 0xFFL) << 16)
                    | ((address[offset + 2] & 0xFFL) << 8) | (address[offset + 3] & 0xFFL);
            return IPV4_MAPPED_MARKER | ipv4;
        }
        return readLong(address, offset + 8);
    }

    /** True when the address is IPv4, held in IPv4-mapped form. */
    public static boolean isIpv4(long high, long low) {
        return high == 0L && (low >>> 32) == 0xFFFFL;
    }

    /** Writes the address in network byte order: 4 bytes for IPv4, 16 for IPv6; returns the length. */
    public static int copy(long high, long low, byte[] destination, int offset) {
        if (isIpv4(high, low)) {
            for (int i = 0; i < IPV4_LENGTH; i++) {
                destination[offset + i] = (byte) (low >>> (24 - 8 * i));
            }
            return IPV4_LENGTH;
        }
        for (int i = 0; i < 8; i++) {
            destination[offset + i] = (byte) (high >>> (56 - 8 * i));
            destination[offset + 8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return IPV6_LENGTH;
    }

    /** The address as an {@link InetAddress} ({@code Inet4Address} for IPv4); allocates. */
    public static InetAddress toInetAddress(long high, long low) {
        byte[] bytes = new byte[IPV6_LENGTH];
        int length = copy(high, low, bytes, 0);
        try {
            return InetAddress.getByAddress(Arrays.copyOf(bytes, length));
        } catch (UnknownHostException impossible) {
            // getByAddress only rejects lengths other than 4 and 16.
            throw new AssertionError(impossible);
        }
    }

    private static void checkLength(int length) {
        if (length != IPV4_LENGTH && length != IPV6_LENGTH) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + length);
        }
    }

    private static long readLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFFL);
        }
        return value;
    }
}
