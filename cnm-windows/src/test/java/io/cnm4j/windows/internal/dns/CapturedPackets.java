package io.cnm4j.windows.internal.dns;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds what the driver hands over for one captured packet: DNS messages, IPv4 UDP and TCP
 * packets around them (RFC 791/768/793 layouts), and the 72-byte PACKET_HEADER before them.
 */
final class CapturedPackets {
    static final long SIGNATURE_V18 = 0xddfd00000018L;
    static final byte[] CLIENT = {10, 0, 0, 5};
    static final byte[] RESOLVER = {8, 8, 4, 4};

    private CapturedPackets() {
    }

    /** A standard query for {@code name}, type A, class IN. */
    static byte[] query(int id, String name) {
        return message(id, 0x0100, name, 0, null);
    }

    /** A response with rcode and, when {@code address} is given, one A answer. */
    static byte[] response(int id, String name, int rcode, byte[] address) {
        return message(id, 0x8180 | rcode, name, address == null ? 0 : 1, address);
    }

    private static byte[] message(int id, int flags, String name, int answers, byte[] address) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeShort(out, id);
        writeShort(out, flags);
        writeShort(out, 1);
        writeShort(out, answers);
        writeShort(out, 0);
        writeShort(out, 0);
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.write(0);
        writeShort(out, 1);
        writeShort(out, 1);
        if (address != null) {
            writeShort(out, 0xC00C);
            writeShort(out, 1);
            writeShort(out, 1);
            out.writeBytes(new byte[] {0, 0, 0x0e, 0x10});
            writeShort(out, 4);
            out.writeBytes(address);
        }
        return out.toByteArray();
    }

    static byte[] udp(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] payload) {
        ByteBuffer b = ipv4(17, source, destination, 8 + payload.length);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        return b.array();
    }

    static byte[] tcp(byte[] source, int sourcePort, byte[] destination, int destinationPort, int sequence, int flags,
            byte[] payload) {
        ByteBuffer b = ipv4(6, source, destination, 20 + payload.length);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putInt(sequence).putInt(0)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
                .put(payload);
        return b.array();
    }

    /** A DNS message framed for TCP: two-byte length first. */
    static byte[] tcpFramed(byte[] message) {
        return ByteBuffer.allocate(2 + message.length).putShort((short) message.length).put(message).array();
    }

    private static ByteBuffer ipv4(int protocol, byte[] source, byte[] destination, int transportLength) {
        ByteBuffer b = ByteBuffer.allocate(20 + transportLength);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + transportLength)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(source).put(destination);
        return b;
    }

    /** PACKET_HEADER (v0x18 signature, sz 72, AF_INET) followed by the packet. */
    static byte[] captured(byte[] packet, long skipped, long epochNanos) {
        return captured(SIGNATURE_V18, 2, packet, packet.length, skipped, epochNanos);
    }

    static byte[] captured(long signature, long family, byte[] packet, long packetSize, long skipped, long epochNanos) {
        ByteBuffer b = ByteBuffer.allocate(72 + packet.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(signature).putLong(72).putLong(skipped).putLong(0x51).putLong(1).putLong(packetSize)
                .putLong(family).putLong(-1).putLong(epochNanos).put(packet);
        return b.array();
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value & 0xFF);
    }
}
