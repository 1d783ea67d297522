package io.cnm4j.linux.internal.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Netlink framing ({@code linux/netlink.h}): message header and attribute header accessors
 * that read in place, in host byte order. Stateless and thread-safe.
 */
public final class Netlink {
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_NETFILTER = 12;

    /** struct nlmsghdr: len u32, type u16, flags u16, seq u32, pid u32. */
    public static final int HEADER_BYTES = 16;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_DUMP = 0x300;

    /** struct nlattr: len u16, type u16; the top two type bits are flags (nested, byte order). */
    public static final int ATTRIBUTE_HEADER_BYTES = 4;
    private static final int ATTRIBUTE_TYPE_MASK = 0x3FFF;

    private Netlink() {
    }

    /** Rounds up to the 4-byte alignment of messages and attributes. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }

    public static int messageLength(MemorySegment s, long at) {
        return s.get(JAVA_INT_UNALIGNED, at);
    }

    public static int messageType(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(JAVA_SHORT_UNALIGNED, at + 4));
    }

    public static int messageFlags(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(JAVA_SHORT_UNALIGNED, at + 6));
    }

    /** The (negative) errno of an {@link #NLMSG_ERROR} message, 0 for an acknowledgement. */
    public static int errorCode(MemorySegment s, long at) {
        return s.get(JAVA_INT_UNALIGNED, at + HEADER_BYTES);
    }

    /** Writes a request header. */
    public static void writeHeader(MemorySegment s, int length, int type, int flags, int sequence) {
        s.set(JAVA_INT_UNALIGNED, 0, length);
        s.set(JAVA_SHORT_UNALIGNED, 4, (short) type);
        s.set(JAVA_SHORT_UNALIGNED, 6, (short) flags);
        s.set(JAVA_INT_UNALIGNED, 8, sequence);
        s.set(JAVA_INT_UNALIGNED, 12, 0);
    }

    public static int attributeLength(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(JAVA_SHORT_UNALIGNED, at));
    }

    public static int attributeType(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(JAVA_SHORT_UNALIGNED, at + 2)) & ATTRIBUTE_TYPE_MASK;
    }

    /** Big-endian 16-bit value (a port). */
    public static int readBigEndianShort(MemorySegment s, long at) {
        return (Byte.toUnsignedInt(s.get(JAVA_BYTE, at)) << 8) | Byte.toUnsignedInt(s.get(JAVA_BYTE, at + 1));
    }
}
