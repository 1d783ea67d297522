package io.cnm4j.dns.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Test-only writer of IPv4/IPv6 packets carrying UDP or TCP, from the IP header on, with knobs to
 * make them odd: IPv4 options, fragment fields, IPv6 extension headers, trailing link padding.
 * Checksums are left zero: nothing on the capture path reads them. Shared with the backends' capture
 * tests through this module's test jar.
 */
public final class IpPacketBuilder {
    public static final int UDP = 17;
    public static final int TCP = 6;
    public static final int ICMP = 1;
    public static final int IPV6_HOP_BY_HOP = 0;

    private final byte[] source;
    private final byte[] destination;
    private int protocol = UDP;
    private int sourcePort;
    private int destinationPort;
    private byte[] payload = new byte[0];
    private int ipv4OptionWords;
    private int fragmentField;
    private boolean hopByHop;
    private int padding;
    private int tcpSequence;
    private int tcpFlags = 0x18;
    private int tcpOptionWords;

    private IpPacketBuilder(String source, String destination) {
        this.source = address(source);
        this.destination = address(destination);
        if (this.source.length != this.destination.length) {
            throw new IllegalArgumentException("mixed address families");
        }
    }

    public static IpPacketBuilder udp(String source, int sourcePort, String destination, int destinationPort) {
        IpPacketBuilder b = new IpPacketBuilder(source, destination);
        b.sourcePort = sourcePort;
        b.destinationPort = destinationPort;
        return b;
    }

    public static IpPacketBuilder tcp(String source, int sourcePort, String destination, int destinationPort) {
        IpPacketBuilder b = udp(source, sourcePort, destination, destinationPort);
        b.protocol = TCP;
        return b;
    }

    public IpPacketBuilder protocol(int value) {
        protocol = value;
        return this;
    }

    public IpPacketBuilder payload(byte[] bytes) {
        payload = bytes;
        return this;
    }

    public IpPacketBuilder ipv4Options(int words) {
        ipv4OptionWords = words;
        return this;
    }

    /** The IPv4 flags and fragment offset field: 0x2000 more fragments, low 13 bits the offset. */
    public IpPacketBuilder fragmentField(int value) {
        fragmentField = value;
        return this;
    }

    public IpPacketBuilder ipv6HopByHop() {
        hopByHop = true;
        return this;
    }

    /** Zero bytes after the packet, as Ethernet pads short frames. */
    public IpPacketBuilder padding(int bytes) {
        padding = bytes;
        return this;
    }

    public IpPacketBuilder tcpSegment(int sequence, int flags, int optionWords) {
        tcpSequence = sequence;
        tcpFlags = flags;
        tcpOptionWords = optionWords;
        return this;
    }

    public byte[] build() {
        ByteArrayOutputStream transport = new ByteArrayOutputStream();
        if (protocol == UDP) {
            u16(transport, sourcePort);
            u16(transport, destinationPort);
            u16(transport, 8 + payload.length);
            u16(transport, 0);
        } else if (protocol == TCP) {
            u16(transport, sourcePort);
            u16(transport, destinationPort);
            u16(transport, tcpSequence >>> 16);
            u16(transport, tcpSequence);
            u16(transport, 0);
            u16(transport, 0);
            transport.write((5 + tcpOptionWords) << 4);
            transport.write(tcpFlags);
            u16(transport, 65535);
            u16(transport, 0);
            u16(transport, 0);
            transport.writeBytes(new byte[4 * tcpOptionWords]);
        } else {
            transport.writeBytes(new byte[8]);
        }
        transport.writeBytes(payload);
        byte[] l4 = transport.toByteArray();

        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        if (source.length == 4) {
            int headerLength = 20 + 4 * ipv4OptionWords;
            packet.write(0x40 | (headerLength / 4));
            packet.write(0);
            u16(packet, headerLength + l4.length);
            u16(packet, 0x1234);
            u16(packet, fragmentField);
            packet.write(64);
            packet.write(protocol);
            u16(packet, 0);
            packet.writeBytes(source);
            packet.writeBytes(destination);
            packet.writeBytes(new byte[4 * ipv4OptionWords]);
        } else {
            int extension = hopByHop ? 8 : 0;
            packet.write(0x60);
            packet.write(0);
            u16(packet, 0);
            u16(packet, extension + l4.length);
            packet.write(hopByHop ? IPV6_HOP_BY_HOP : protocol);
            packet.write(64);
            packet.writeBytes(source);
            packet.writeBytes(destination);
            if (hopByHop) {
                packet.write(protocol);
                packet.writeBytes(new byte[7]);
            }
        }
        packet.writeBytes(l4);
        packet.writeBytes(new byte[padding]);
        return packet.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
