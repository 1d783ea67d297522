package io.cnm4j.windows.internal.protocol;

import static io.cnm4j.windows.internal.protocol.Wire.U64;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * A flyweight over the 72-byte {@code PACKET_HEADER} the driver writes before every captured
 * packet on the transport handle (nine little-endian {@code u64}). Mutable; confined to the DNS
 * capture thread.
 */
public final class PacketHeaderView {
    /** {@code filterPacketHeader}: nine u64, the packet follows. */
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U64.withName("filterVersion"), U64.withName("sz"), U64.withName("skippedSinceLast"),
            U64.withName("filterId"), U64.withName("direction"), U64.withName("pktSize"), U64.withName("af"),
            U64.withName("ownerPid"), U64.withName("timestamp")).withName("PACKET_HEADER");
    /** Size of the header in every known version. */
    public static final int SIZE = (int) LAYOUT.byteSize();

    private static final long FILTER_VERSION = offset("filterVersion");
    private static final long HEADER_SIZE = offset("sz");
    private static final long SKIPPED = offset("skippedSinceLast");
    private static final long FILTER_ID = offset("filterId");
    private static final long DIRECTION = offset("direction");
    private static final long PACKET_SIZE = offset("pktSize");
    private static final long FAMILY = offset("af");
    private static final long OWNER_PID = offset("ownerPid");
    private static final long TIMESTAMP = offset("timestamp");

    private MemorySegment segment = MemorySegment.NULL;
    private long base;

    /**
     * Points the view at a header.
     *
     * @throws IndexOutOfBoundsException when fewer than {@link #SIZE} bytes follow {@code offset}
     */
    public PacketHeaderView wrap(MemorySegment buffer, long offset) {
        java.util.Objects.checkFromIndexSize(offset, SIZE, buffer.byteSize());
        this.segment = buffer;
        this.base = offset;
        return this;
    }

    public long filterVersion() { return segment.get(U64, base + FILTER_VERSION); }

    /** Size of this header including the field; the packet starts here. */
    public long headerSize() { return segment.get(U64, base + HEADER_SIZE); }

    /** Packets the driver skipped since the previous read (not verified: for lack of pending reads). */
    public long skippedSinceLast() { return segment.get(U64, base + SKIPPED); }

    public long filterId() { return segment.get(U64, base + FILTER_ID); }

    public long direction() { return segment.get(U64, base + DIRECTION); }

    /** Size of the packet on the wire; the read may hold fewer bytes. */
    public long packetSize() { return segment.get(U64, base + PACKET_SIZE); }

    public long addressFamily() { return segment.get(U64, base + FAMILY); }

    /** -1 when not available. */
    public long ownerPid() { return segment.get(U64, base + OWNER_PID); }

    /** Capture time in nanoseconds since the Unix epoch. */
    public long timestampEpochNanos() { return segment.get(U64, base + TIMESTAMP); }

    static long offset(String field) {
        return LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
