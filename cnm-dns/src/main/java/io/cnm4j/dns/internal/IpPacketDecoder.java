package io.cnm4j.dns.internal;

import io.cnm4j.dns.internal.DnsPacketFlow;
import java.util.Set;

/**
 * Reads the IPv4 or IPv6 header and the UDP or TCP header of a captured packet, and tells whether
 * it carries DNS: a source or destination port among the DNS ports. On success the {@link #flow()}
 * and the payload bounds describe the DNS bytes; nothing is allocated.
 *
 * <p>Lengths come from the headers, not from the capture, so that link-layer padding (Ethernet pads
 * frames to 60 bytes) never reads as payload. Every header field is checked against the captured
 * length before use. IPv4 options are skipped; IPv6 extension headers are not walked (the socket
 * filter drops such packets already), and IPv4 fragments are reported, not reassembled.
 *
 * <p>Shared by the Linux packet socket and the Windows driver capture. Not thread-safe: confined to
 * the capture thread.
 */
public final class IpPacketDecoder {
    /** What a packet turned out to be. */
    public enum Result {
        /** A UDP datagram to or from a DNS port; the payload is its DNS message. */
        DNS_UDP,
        /** A TCP segment to or from a DNS port; the payload is part of a DNS-over-TCP stream. */
        DNS_TCP,
        /** Not UDP or TCP on a DNS port (or IPv6 with extension headers). */
        NOT_DNS,
        /** Both ends are loopback addresses and local DNS is not collected. */
        LOCAL_IGNORED,
        /** An IPv4 fragment: the DNS message is incomplete. */
        FRAGMENT,
        /** The capture holds fewer bytes than the headers announce. */
        TRUNCATED,
        /** Headers that contradict themselves or the IP version. */
        MALFORMED
    }

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int UDP_HEADER = 8;
    private static final int TCP_HEADER = 20;
    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET = 0x1FFF;

    private final boolean[] dnsPorts = new boolean[1 << 16];
    private final boolean collectLocal;
    private final DnsPacketFlow flow = new DnsPacketFlow();
    private int payloadOffset;
    private int payloadLength;
    private int tcpSequence;
    private int tcpFlags;

    /**
     * @param ports        server ports whose traffic is DNS
     * @param collectLocal keep packets between two loopback addresses
     */
    public IpPacketDecoder(Set<Integer> ports, boolean collectLocal) {
        for (int port : ports) {
            dnsPorts[port] = true;
        }
        this.collectLocal = collectLocal;
    }

    /** Decodes the packet in {@code data[0, length)}, which starts at its IP header. */
    public Result decode(byte[] data, int length) {
        if (length < 1) {
            return Result.TRUNCATED;
        }
        int version = (data[0] & 0xFF) >>> 4;
        if (version == 4) {
            return decodeIpv4(data, length);
        }
        if (version == 6) {
            return decodeIpv6(data, length);
        }
        return Result.MALFORMED;
    }

    /** Addresses, ports and protocol of the last DNS packet. */
    public DnsPacketFlow flow() {
        return flow;
    }

    /** Where the last DNS packet's payload starts in the data. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Length of the last DNS packet's payload; may be 0 for TCP. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Sequence number of the last TCP segment. */
    public int tcpSequence() {
        return tcpSequence;
    }

    /** Flag byte of the last TCP segment (FIN 0x01, SYN 0x02, RST 0x04…). */
    public int tcpFlags() {
        return tcpFlags;
    }

    private Result decodeIpv4(byte[] data, int length) {
        if (length < IPV4_HEADER) {
            return Result.TRUNCATED;
        }
        int headerLength = (data[0] & 0x0F) * 4;
        int totalLength = u16(data, 2);
        if (headerLength < IPV4_HEADER || totalLength < headerLength) {
            return Result.MALFORMED;
        }
        int fragment = u16(data, 6);
        if ((fragment & (MORE_FRAGMENTS | FRAGMENT_OFFSET)) != 0) {
            return Result.FRAGMENT;
        }
        if (totalLength > length) {
            return Result.TRUNCATED;
        }
        if (bothLoopback4(data) && !collectLocal) {
            return Result.LOCAL_IGNORED;
        }
        return decodeTransport(data, data[9] & 0xFF, headerLength, totalLength, 12, 16, 4);
    }

    private Result decodeIpv6(byte[] data, int length) {
        if (length < IPV6_HEADER) {
            return Result.TRUNCATED;
        }
        int payload = u16(data, 4);
        int nextHeader = data[6] & 0xFF;
        if (nextHeader != DnsPacketFlow.UDP && nextHeader != DnsPacketFlow.TCP) {
            // Extension headers are not walked; a jumbogram (payload length 0) never carries DNS.
            return Result.NOT_DNS;
        }
        int end = IPV6_HEADER + payload;
        if (end > length) {
            return Result.TRUNCATED;
        }
        if (bothLoopback6(data) && !collectLocal) {
            return Result.LOCAL_IGNORED;
        }
        return decodeTransport(data, nextHeader, IPV6_HEADER, end, 8, 24, 16);
    }

    private Result decodeTransport(byte[] data, int protocol, int start, int end, int source, int destination,
            int addressLength) {
        if (protocol == DnsPacketFlow.UDP) {
            if (end - start < UDP_HEADER) {
                return Result.MALFORMED;
            }
            int udpLength = u16(data, start + 4);
            if (udpLength < UDP_HEADER || start + udpLength > end) {
                return Result.MALFORMED;
            }
            payloadOffset = start + UDP_HEADER;
            payloadLength = udpLength - UDP_HEADER;
        } else if (protocol == DnsPacketFlow.TCP) {
            if (end - start < TCP_HEADER) {
                return Result.MALFORMED;
            }
            int dataOffset = ((data[start + 12] & 0xFF) >>> 4) * 4;
            if (dataOffset < TCP_HEADER || start + dataOffset > end) {
                return Result.MALFORMED;
            }
            tcpSequence = (u16(data, start + 4) << 16) | u16(data, start + 6);
            tcpFlags = data[start + 13] & 0xFF;
            payloadOffset = start + dataOffset;
            payloadLength = end - payloadOffset;
        } else {
            return Result.NOT_DNS;
        }
        int sourcePort = u16(data, start);
        int destinationPort = u16(data, start + 2);
        if (!dnsPorts[sourcePort] && !dnsPorts[destinationPort]) {
            return Result.NOT_DNS;
        }
        flow.ipProtocol(protocol)
                .source(data, source, addressLength, sourcePort)
                .destination(data, destination, addressLength, destinationPort);
        return protocol == DnsPacketFlow.UDP ? Result.DNS_UDP : Result.DNS_TCP;
    }

    private static boolean bothLoopback4(byte[] data) {
        return data[12] == 127 && data[16] == 127;
    }

    private static boolean bothLoopback6(byte[] data) {
        return isLoopback6(data, 8) && isLoopback6(data, 24);
    }

    /** ::1, or an IPv4-mapped 127.0.0.0/8 address. */
    private static boolean isLoopback6(byte[] data, int offset) {
        for (int i = 0; i < 10; i++) {
            if (data[offset + i] != 0) {
                return false;
            }
        }
        boolean mapped = data[offset + 10] == (byte) 0xFF && data[offset + 11] == (byte) 0xFF;
        if (mapped) {
            return data[offset + 12] == 127;
        }
        return data[offset + 10] == 0 && data[offset + 11] == 0 && data[offset + 12] == 0
                && data[offset + 13] == 0 && data[offset + 14] == 0 && data[offset + 15] == 1;
    }

    private static int u16(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }
}
