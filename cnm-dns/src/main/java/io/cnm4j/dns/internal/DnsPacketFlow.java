package io.cnm4j.dns.internal;

import io.cnm4j.dns.internal.Ipv6Bits;
import java.net.InetAddress;

/**
 * Where one captured DNS message travelled: source and destination address and port, and the IP
 * protocol (UDP or TCP). A packet source fills one instance from the IP and transport headers for
 * every packet and hands it to {@link DnsQueryMatcher#onMessage}, which copies what it keeps.
 *
 * <p>Mutable and reusable. Not thread-safe: confine an instance to the capture thread.
 */
public final class DnsPacketFlow {
    /** IP protocol number of TCP. */
    public static final int TCP = 6;
    /** IP protocol number of UDP. */
    public static final int UDP = 17;

    private long sourceHigh;
    private long sourceLow;
    private int sourcePort;
    private long destinationHigh;
    private long destinationLow;
    private int destinationPort;
    private int ipProtocol = UDP;

    /** Sets the source from a 4-byte (IPv4) or 16-byte (IPv6) address in network byte order. */
    public DnsPacketFlow source(byte[] address, int offset, int length, int port) {
        sourceHigh = Ipv6Bits.high(address, offset, length);
        sourceLow = Ipv6Bits.low(address, offset, length);
        sourcePort = checkPort(port);
        return this;
    }

    /** Sets the destination from a 4-byte (IPv4) or 16-byte (IPv6) address in network byte order. */
    public DnsPacketFlow destination(byte[] address, int offset, int length, int port) {
        destinationHigh = Ipv6Bits.high(address, offset, length);
        destinationLow = Ipv6Bits.low(address, offset, length);
        destinationPort = checkPort(port);
        return this;
    }

    /** Sets the source; convenient outside the capture loop, where allocation does not matter. */
    public DnsPacketFlow source(InetAddress address, int port) {
        byte[] bytes = address.getAddress();
        return source(bytes, 0, bytes.length, port);
    }

    /** Sets the destination; convenient outside the capture loop, where allocation does not matter. */
    public DnsPacketFlow destination(InetAddress address, int port) {
        byte[] bytes = address.getAddress();
        return destination(bytes, 0, bytes.length, port);
    }

    /** Sets the IP protocol: {@link #UDP} (the default) or {@link #TCP}. */
    public DnsPacketFlow ipProtocol(int protocol) {
        if (protocol != UDP && protocol != TCP) {
            throw new IllegalArgumentException("DNS runs over UDP (17) or TCP (6), not " + protocol);
        }
        this.ipProtocol = protocol;
        return this;
    }

    long sourceHigh() {
        return sourceHigh;
    }

    long sourceLow() {
        return sourceLow;
    }

    int sourcePort() {
        return sourcePort;
    }

    long destinationHigh() {
        return destinationHigh;
    }

    long destinationLow() {
        return destinationLow;
    }

    int destinationPort() {
        return destinationPort;
    }

    int ipProtocol() {
        return ipProtocol;
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    @Override
    public String toString() {
        return (ipProtocol == TCP ? "tcp " : "udp ") + Ipv6Bits.toInetAddress(sourceHigh, sourceLow).getHostAddress()
                + ":" + sourcePort + " -> " + Ipv6Bits.toInetAddress(destinationHigh, destinationLow).getHostAddress()
                + ":" + destinationPort;
    }
}
