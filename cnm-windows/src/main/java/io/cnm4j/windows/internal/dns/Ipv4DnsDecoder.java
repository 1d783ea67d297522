package io.cnm4j.windows.internal.dns;

import io.cnm4j.dns.internal.DnsPacketFlow;
import java.util.Set;

/**
 * Decodes the IPv4 packet the driver captured (it starts at the IP header) down to the DNS bytes
 * of a UDP datagram or a TCP segment. Every length comes from a header and is checked against the
 * captured bytes first, so a truncated capture or a lying header is reported, never read past.
 * Fragments are reported, not reassembled. Nothing is allocated per packet.
 *
 * <p>Not thread-safe: confined to the DNS capture thread.
 */
final class Ipv4DnsDecoder {
    /** What a packet turned out to be. */
    enum Outcome {
        UDP,
        TCP,
        /** Not UDP/TCP on a DNS port, or not IPv4. */
        NOT_DNS,
        /** Both ends on 127.0.0.0/8 and local DNS is not collected. */
        LOCAL_IGNORED,
        FRAGMENT,
        /** The headers announce more bytes than were captured. */
        TRUNCATED,
        MALFORMED
    }

    private static final int MIN_IP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int MIN_TCP_HEADER = 20;

    private final boolean[] dnsPort = new boolean[65536];
    private final boolean collectLocal;
    private final DnsPacketFlow flow = new DnsPacketFlow();
    private int payloadOffset;
    private int payloadLength;
    private int sequence;
    private int tcpFlags;

    Ipv4DnsDecoder(Set<Integer> ports, boolean collectLocal) {
        ports.forEach(port -> dnsPort[port] = true);
        this.collectLocal = collectLocal;
    }

    /** Decodes {@code packet[0, length)}. */
    Outcome decode(byte[] packet, int length) {
        if (length < MIN_IP_HEADER) {
            return Outcome.TRUNCATED;
        }
        if ((packet[0] & 0xF0) != 0x40) {
            return Outcome.NOT_DNS;
        }
        int headerLength = (packet[0] & 0x0F) << 2;
        int totalLength = be16(packet, 2);
        if (headerLength < MIN_IP_HEADER || totalLength < headerLength) {
            return Outcome.MALFORMED;
        }
        if ((be16(packet, 6) & 0x3FFF) != 0) {
            return Outcome.FRAGMENT;
        }
        if (totalLength > length) {
            return Outcome.TRUNCATED;
        }
        if (!collectLocal && packet[12] == 127 && packet[16] == 127) {
            return Outcome.LOCAL_IGNORED;
        }
        int protocol = packet[9] & 0xFF;
        int transport = headerLength;
        int available = totalLength - transport;
        if (protocol == DnsPacketFlow.UDP) {
            if (available < UDP_HEADER) {
                return Outcome.MALFORMED;
            }
            int udpLength = be16(packet, transport + 4);
            if (udpLength < UDP_HEADER || udpLength > available) {
                return Outcome.MALFORMED;
            }
            payloadOffset = transport + UDP_HEADER;
            payloadLength = udpLength - UDP_HEADER;
        } else if (protocol == DnsPacketFlow.TCP) {
            if (available < MIN_TCP_HEADER) {
                return Outcome.MALFORMED;
            }
            int tcpHeader = ((packet[transport + 12] & 0xF0) >>> 4) << 2;
            if (tcpHeader < MIN_TCP_HEADER || tcpHeader > available) {
                return Outcome.MALFORMED;
            }
            sequence = (be16(packet, transport + 4) << 16) | be16(packet, transport + 6);
            tcpFlags = packet[transport + 13] & 0xFF;
            payloadOffset = transport + tcpHeader;
            payloadLength = totalLength - payloadOffset;
        } else {
            return Outcome.NOT_DNS;
        }
        int sourcePort = be16(packet, transport);
        int destinationPort = be16(packet, transport + 2);
        if (!dnsPort[sourcePort] && !dnsPort[destinationPort]) {
            return Outcome.NOT_DNS;
        }
        flow.ipProtocol(protocol).source(packet, 12, 4, sourcePort).destination(packet, 16, 4, destinationPort);
        return protocol == DnsPacketFlow.UDP ? Outcome.UDP : Outcome.TCP;
    }

    DnsPacketFlow flow() {
        return flow;
    }

    int payloadOffset() {
        return payloadOffset;
    }

    int payloadLength() {
        return payloadLength;
    }

    int tcpSequence() {
        return sequence;
    }

    int tcpFlags() {
        return tcpFlags;
    }

    private static int be16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
