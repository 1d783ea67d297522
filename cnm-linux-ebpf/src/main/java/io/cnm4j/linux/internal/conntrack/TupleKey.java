package io.cnm4j.linux.internal.conntrack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One direction of a conntrack entry (source → destination, protocol), packed into longs so a
 * cache of 131,072 entries stays small. IPv4 addresses fill the high 32 bits of {@code source0}
 * / {@code destination0}; {@code protocolAndFamily} holds the IP protocol and the address
 * length, so an IPv4 tuple never equals an IPv6 one.
 */
record TupleKey(long source0, long source1, long destination0, long destination1, int sourcePort,
        int destinationPort, int protocolAndFamily) {

    static TupleKey of(CtTuple t) {
        return of(t.source, t.destination, t.addressBytes, t.sourcePort, t.destinationPort, t.protocol);
    }

    /** Addresses of {@code addressBytes} (4 or 16) bytes each. */
    static TupleKey of(byte[] source, byte[] destination, int addressBytes, int sourcePort, int destinationPort,
            int protocol) {
        return new TupleKey(word(source, 0, addressBytes), word(source, 8, addressBytes),
                word(destination, 0, addressBytes), word(destination, 8, addressBytes),
                sourcePort, destinationPort, protocol | addressBytes << 8);
    }

    private static long word(byte[] address, int from, int addressBytes) {
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            value = value << 8 | (i < addressBytes ? address[i] & 0xFF : 0);
        }
        return value;
    }

    InetAddress sourceAddress() {
        return address(source0, source1);
    }

    InetAddress destinationAddress() {
        return address(destination0, destination1);
    }

    private InetAddress address(long high, long low) {
        int length = protocolAndFamily >>> 8;
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOf(bytes, length));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
