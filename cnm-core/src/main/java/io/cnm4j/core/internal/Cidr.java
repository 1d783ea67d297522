package io.cnm4j.core.internal;

import java.net.InetAddress;

/** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; {@code *} matches every address. */
final class Cidr {
    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code *}, a literal address (a single host) or {@code address/prefix}. Host names
     * are refused: exclusions must not depend on DNS.
     *
     * @throws IllegalArgumentException with the reason when the text is not a CIDR
     */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("*")) {
            return new Cidr(new byte[0], 0);
        }
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address;
        try {
            address = InetLiteral.parse(addressText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address");
        }
        int maxPrefix = address.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("prefix length is not a number");
            }
            if (prefix < 0 || prefix > maxPrefix) {
                throw new IllegalArgumentException("prefix length must be 0.." + maxPrefix);
            }
        }
        return new Cidr(mask(address, prefix), prefix);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    /** True when the address lies in this block; IPv4 blocks never match IPv6 addresses. */
    public boolean contains(InetAddress address) {
        if (network.length == 0) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (bytes[fullBytes] & mask) == (network[fullBytes] & 0xFF);
    }
}
