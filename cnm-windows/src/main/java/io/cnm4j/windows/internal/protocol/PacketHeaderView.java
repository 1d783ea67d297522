package io.cnm4j.windows.internal.protocol;

import static io.cnm4j.windows.internal.protocol.Wire.U64;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over the 72-byte {@code PACKET_HEADER} the driver writes before every captured
 * packet on the transport handle (nine little-endian {@code u64}). Mutable; confined to the DNS
 * capture thread.
 */
public final class PacketHeaderView {
    /** Size of the header in every known version. */
    public static final int SIZE = 72;

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

    public long filterVersion() { return segment.get(U64, base); }

    /** Size of this header including the field; the packet starts here. */
    public long headerSize() { return segment.get(U64, base + 8); }

    /** Packets the driver skipped since the previous read (not verified: for lack of pending reads). */
    public long skippedSinceLast() { return segment.get(U64, base + 16); }

    public long filterId() { return segment.get(U64, base + 24); }

    public long direction() { return segment.get(U64, base + 32); }

    /** Size of the packet on the wire; the read may hold fewer bytes. */
    public long packetSize() { return segment.get(U64, base + 40); }

    public long addressFamily() { return segment.get(U64, base + 48); }

    /** -1 when not available. */
    public long ownerPid() { return segment.get(U64, base + 56); }

    /** Capture time in nanoseconds since the Unix epoch. */
    public long timestampEpochNanos() { return segment.get(U64, base + 64); }
}
