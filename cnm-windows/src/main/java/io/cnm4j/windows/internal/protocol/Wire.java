package io.cnm4j.windows.internal.protocol;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The value layouts of the driver's structures: little-endian and unaligned, because the flow
 * records are packed at 194-byte strides and every second record's 64-bit fields straddle
 * alignment boundaries.
 */
public final class Wire {
    public static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;

    /** Windows {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** Windows {@code AF_INET6}: 23, not Linux's 10. */
    public static final int AF_INET6 = 23;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    private Wire() {
    }
}
