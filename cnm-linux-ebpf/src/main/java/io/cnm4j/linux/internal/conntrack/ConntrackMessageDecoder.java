package io.cnm4j.linux.internal.conntrack;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.cnm4j.linux.internal.netlink.Netlink;
import java.lang.foreign.MemorySegment;

/**
 * Decodes the original and reply tuples of one ctnetlink message ({@code IPCTNL_MSG_CT_NEW} or
 * {@code _DELETE}) in place, after {@code linux/netfilter/nfnetlink_conntrack.h}: nlmsghdr,
 * nfgenmsg (4 bytes), then attributes; a tuple is {@code CTA_TUPLE_IP} (addresses) and
 * {@code CTA_TUPLE_PROTO} (protocol number and big-endian ports), both nested. Stateless.
 */
final class ConntrackMessageDecoder {
    static final int NFNL_SUBSYS_CTNETLINK = 1;
    static final int IPCTNL_MSG_CT_NEW = 0;
    static final int IPCTNL_MSG_CT_GET = 1;
    static final int IPCTNL_MSG_CT_DELETE = 2;
    static final int NFGENMSG_BYTES = 4;

    private static final int CTA_TUPLE_ORIG = 1;
    private static final int CTA_TUPLE_REPLY = 2;
    private static final int CTA_TUPLE_IP = 1;
    private static final int CTA_TUPLE_PROTO = 2;
    private static final int CTA_IP_V4_SRC = 1;
    private static final int CTA_IP_V4_DST = 2;
    private static final int CTA_IP_V6_SRC = 3;
    private static final int CTA_IP_V6_DST = 4;
    private static final int CTA_PROTO_NUM = 1;
    private static final int CTA_PROTO_SRC_PORT = 2;
    private static final int CTA_PROTO_DST_PORT = 3;

    /** {@link #decode} results. */
    static final int DECODED = 0;
    /** A well-formed entry of another protocol (ICMP, SCTP...): not a flow this library reports. */
    static final int OTHER_PROTOCOL = 1;
    static final int MALFORMED = 2;

    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;

    private ConntrackMessageDecoder() {
    }

    /**
     * Fills both tuples from the message at {@code at} whose total length is {@code length}.
     *
     * @return {@link #DECODED}, {@link #OTHER_PROTOCOL}, or {@link #MALFORMED} when the message
     *         is cut short or lacks a field (a counted rejection)
     */
    static int decode(MemorySegment s, long at, int length, CtTuple original, CtTuple reply) {
        original.clear();
        reply.clear();
        int first = Netlink.HEADER_BYTES + NFGENMSG_BYTES;
        if (length < first) {
            return MALFORMED;
        }
        long end = at + length;
        for (long a = at + first; a + Netlink.ATTRIBUTE_HEADER_BYTES <= end; ) {
            int attributeLength = Netlink.attributeLength(s, a);
            if (attributeLength < Netlink.ATTRIBUTE_HEADER_BYTES || a + attributeLength > end) {
                return MALFORMED;
            }
            int type = Netlink.attributeType(s, a);
            long payload = a + Netlink.ATTRIBUTE_HEADER_BYTES;
            long payloadEnd = a + attributeLength;
            if (type == CTA_TUPLE_ORIG && !tuple(s, payload, payloadEnd, original)
                    || type == CTA_TUPLE_REPLY && !tuple(s, payload, payloadEnd, reply)) {
                return MALFORMED;
            }
            a += Netlink.align(attributeLength);
        }
        if (original.protocol != 0 && original.protocol != IPPROTO_TCP && original.protocol != IPPROTO_UDP) {
            return OTHER_PROTOCOL;
        }
        return original.complete() && reply.complete() && original.addressBytes == reply.addressBytes
                && original.protocol == reply.protocol ? DECODED : MALFORMED;
    }

    private static boolean tuple(MemorySegment s, long from, long end, CtTuple into) {
        for (long a = from; a + Netlink.ATTRIBUTE_HEADER_BYTES <= end; ) {
            int attributeLength = Netlink.attributeLength(s, a);
            if (attributeLength < Netlink.ATTRIBUTE_HEADER_BYTES || a + attributeLength > end) {
                return false;
            }
            int type = Netlink.attributeType(s, a);
            long payload = a + Netlink.ATTRIBUTE_HEADER_BYTES;
            long payloadEnd = a + attributeLength;
            boolean valid = switch (type) {
                case CTA_TUPLE_IP -> addresses(s, payload, payloadEnd, into);
                case CTA_TUPLE_PROTO -> ports(s, payload, payloadEnd, into);
                default -> true;
            };
            if (!valid) {
                return false;
            }
            a += Netlink.align(attributeLength);
        }
        return true;
    }

    private static boolean addresses(MemorySegment s, long from, long end, CtTuple into) {
        for (long a = from; a + Netlink.ATTRIBUTE_HEADER_BYTES <= end; ) {
            int attributeLength = Netlink.attributeLength(s, a);
            if (attributeLength < Netlink.ATTRIBUTE_HEADER_BYTES || a + attributeLength > end) {
                return false;
            }
            int type = Netlink.attributeType(s, a);
            int bytes = type == CTA_IP_V4_SRC || type == CTA_IP_V4_DST ? 4
                    : type == CTA_IP_V6_SRC || type == CTA_IP_V6_DST ? 16 : 0;
            if (bytes != 0) {
                if (attributeLength != Netlink.ATTRIBUTE_HEADER_BYTES + bytes
                        || into.addressBytes != 0 && into.addressBytes != bytes) {
                    return false;
                }
                into.addressBytes = bytes;
                byte[] target = type == CTA_IP_V4_SRC || type == CTA_IP_V6_SRC ? into.source : into.destination;
                MemorySegment.copy(s, JAVA_BYTE, a + Netlink.ATTRIBUTE_HEADER_BYTES,
                        target, 0, bytes);
            }
            a += Netlink.align(attributeLength);
        }
        return true;
    }

    private static boolean ports(MemorySegment s, long from, long end, CtTuple into) {
        for (long a = from; a + Netlink.ATTRIBUTE_HEADER_BYTES <= end; ) {
            int attributeLength = Netlink.attributeLength(s, a);
            if (attributeLength < Netlink.ATTRIBUTE_HEADER_BYTES || a + attributeLength > end) {
                return false;
            }
            int type = Netlink.attributeType(s, a);
            long value = a + Netlink.ATTRIBUTE_HEADER_BYTES;
            if (type == CTA_PROTO_NUM && attributeLength >= 5) {
                into.protocol = Byte.toUnsignedInt(s.get(JAVA_BYTE, value));
            } else if (type == CTA_PROTO_SRC_PORT && attributeLength >= 6) {
                into.sourcePort = Netlink.readBigEndianShort(s, value);
            } else if (type == CTA_PROTO_DST_PORT && attributeLength >= 6) {
                into.destinationPort = Netlink.readBigEndianShort(s, value);
            }
            a += Netlink.align(attributeLength);
        }
        return true;
    }
}
