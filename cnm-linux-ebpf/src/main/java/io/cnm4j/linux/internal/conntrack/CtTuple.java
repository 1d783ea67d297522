package io.cnm4j.linux.internal.conntrack;

import java.util.Arrays;

/**
 * One direction of a conntrack entry as decoded from a message: reused for every message, so
 * decoding allocates nothing. Addresses fill the first 4 bytes for IPv4, all 16 for IPv6.
 */
final class CtTuple {
    final byte[] source = new byte[16];
    final byte[] destination = new byte[16];
    int addressBytes;
    int protocol;
    int sourcePort;
    int destinationPort;

    void clear() {
        Arrays.fill(source, (byte) 0);
        Arrays.fill(destination, (byte) 0);
        addressBytes = 0;
        protocol = 0;
        sourcePort = -1;
        destinationPort = -1;
    }

    /** True when every field a NAT lookup needs was present. */
    boolean complete() {
        return addressBytes != 0 && protocol != 0 && sourcePort >= 0 && destinationPort >= 0;
    }

    /** True when {@code reply} is exactly this tuple seen from the other end: no translation. */
    boolean isInverseOf(CtTuple reply) {
        return addressBytes == reply.addressBytes && sourcePort == reply.destinationPort
                && destinationPort == reply.sourcePort && Arrays.equals(source, reply.destination)
                && Arrays.equals(destination, reply.source);
    }
}
