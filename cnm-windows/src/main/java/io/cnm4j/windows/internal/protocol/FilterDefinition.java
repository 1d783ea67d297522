package io.cnm4j.windows.internal.protocol;

import static io.cnm4j.windows.internal.protocol.Wire.U64;
import static io.cnm4j.windows.internal.protocol.Wire.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * One {@code FILTER_DEFINITION}, as SET_FLOW_FILTER and SET_DATA_FILTER take it: 160 bytes in
 * version 0x18 (with {@code discard}), 152 before. Addresses and interface are always "any" here:
 * cnm4j filters by family, protocol, remote port and direction only. Immutable.
 *
 * @param family {@link Wire#AF_INET} or {@link Wire#AF_INET6}
 * @param protocol 6, 17, or 0 for any
 * @param remotePort 0 for any
 * @param direction {@link #INBOUND} or {@link #OUTBOUND}
 */
public record FilterDefinition(int family, int protocol, int remotePort, int direction) {
    /** {@code FILTER_LAYER_TRANSPORT}. */
    public static final int LAYER_TRANSPORT = 1;
    public static final int INBOUND = 0;
    public static final int OUTBOUND = 1;

    /** {@code FILTER_ADDRESS}: 40 bytes, addresses in network order. */
    static final StructLayout ADDRESS_LAYOUT = MemoryLayout.structLayout(
            U64.withName("af"), MemoryLayout.sequenceLayout(4, U8).withName("v4_address"),
            MemoryLayout.sequenceLayout(4, U8).withName("v4_padding"),
            MemoryLayout.sequenceLayout(16, U8).withName("v6_address"), U64.withName("mask"))
            .withName("FILTER_ADDRESS");
    /** {@code FILTER_DEFINITION} of version 0x18 (160 bytes); older versions end before {@code discard}. */
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("filterVersion"), U64.withName("size"), U64.withName("filterLayer"), U64.withName("af"),
            ADDRESS_LAYOUT.withName("localAddress"), ADDRESS_LAYOUT.withName("remoteAddress"),
            U64.withName("localPort"), U64.withName("remotePort"), U64.withName("protocol"),
            U64.withName("direction"), U64.withName("interfaceIndex"), U64.withName("discard"))
            .withName("FILTER_DEFINITION");

    private static final long VERSION = offset("filterVersion");
    private static final long SIZE = offset("size");
    private static final long LAYER = offset("filterLayer");
    private static final long FAMILY = offset("af");
    private static final long REMOTE_PORT = offset("remotePort");
    private static final long PROTOCOL = offset("protocol");
    private static final long DIRECTION = offset("direction");

    public FilterDefinition {
        if (family != Wire.AF_INET && family != Wire.AF_INET6) {
            throw new IllegalArgumentException("filter family must be 2 or 23, not " + family);
        }
        if (protocol != 0 && protocol != Wire.IPPROTO_TCP && protocol != Wire.IPPROTO_UDP) {
            throw new IllegalArgumentException("filter protocol must be 0, 6 or 17, not " + protocol);
        }
        if (remotePort < 0 || remotePort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + remotePort);
        }
        if (direction != INBOUND && direction != OUTBOUND) {
            throw new IllegalArgumentException("direction must be 0 (inbound) or 1 (outbound), not " + direction);
        }
    }

    /** A flow filter: every flow of the family and protocol ({@code direction} is ignored by the driver). */
    public static FilterDefinition flows(int family, int protocol) {
        return new FilterDefinition(family, protocol, 0, INBOUND);
    }

    /** A DNS data filter: IPv4 packets of any protocol whose remote port is 53, one direction. */
    public static FilterDefinition dns(int direction) {
        return new FilterDefinition(Wire.AF_INET, 0, 53, direction);
    }

    /**
     * Writes the definition for a driver version at the start of {@code target}, zeroing the rest
     * of the structure.
     *
     * @throws IndexOutOfBoundsException when the target is smaller than the version's filter size
     */
    public void encode(DriverVersion version, MemorySegment target) {
        MemorySegment filter = target.asSlice(0, version.filterSize());
        filter.fill((byte) 0);
        filter.set(U64, VERSION, version.signature());
        filter.set(U64, SIZE, version.filterSize());
        filter.set(U64, LAYER, LAYER_TRANSPORT);
        filter.set(U64, FAMILY, family);
        filter.set(U64, REMOTE_PORT, remotePort);
        filter.set(U64, PROTOCOL, protocol);
        filter.set(U64, DIRECTION, direction);
    }

    /** Offset of a top-level field of {@link #LAYOUT}. */
    static long offset(String field) {
        return LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
