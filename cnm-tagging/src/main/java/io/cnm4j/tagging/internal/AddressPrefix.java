package io.cnm4j.tagging.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address block; an IPv4 block also contains IPv4-mapped IPv6 addresses. Immutable. */
public record AddressPrefix(byte[] network, int length) {
    /**
     * Parses {@code "10.1.0.0/16"}, {@code "2001:db8::/32"} or a single address, literals only
     * (never a name lookup).
     */
    public static AddressPrefix parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+") || address.isEmpty()) {
            throw new IllegalArgumentException("not an address literal: " + cidr);
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + cidr);
        }
        int length;
        try {
            length = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + cidr);
        }
        if (length < 0 || length > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length out of range: " + cidr);
        }
        return new AddressPrefix(bytes, length);
    }

    /** Whether the address (4 or 16 bytes) is in the block. */
    public boolean contains(byte[] address) {
        byte[] candidate = address;
        if (network.length == 4 && address.length == 16 && isMappedV4(address)) {
            candidate = java.util.Arrays.copyOfRange(address, 12, 16);
        }
        if (candidate.length != network.length) {
            return false;
        }
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    private static boolean isMappedV4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }
}
