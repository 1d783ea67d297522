package io.cnm4j.windows.internal.protocol;

import static io.cnm4j.windows.internal.protocol.Wire.U16;
import static io.cnm4j.windows.internal.protocol.Wire.U32;
import static io.cnm4j.windows.internal.protocol.Wire.U64;
import static io.cnm4j.windows.internal.protocol.Wire.U8;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A flyweight over one {@code USER_FLOW_DATA} in a read buffer: {@link #wrap} points it at a record
 * and every accessor reads the field in place (little-endian, unaligned), so a buffer of records
 * is decoded without allocating. Unsigned fields are widened ({@code u16}/{@code u32} to int or
 * long); {@code u64} counters are returned as Java longs.
 *
 * <p>Mutable; confined to the thread that reads the buffer.
 */
public final class FlowRecordView {
    /** {@code FLOW_CLOSED_MASK}. */
    public static final int FLAG_CLOSED = 0x10;
    /** {@code TCP_FLOW_ESTABLISHED_MASK}; versions with {@code connectionStatus} use that instead. */
    public static final int FLAG_TCP_ESTABLISHED = 0x20;
    /** Direction bits: {@code (flags & 0x300) >> 8}, 0 unknown, 1 inbound, 2 outbound. */
    public static final int DIRECTION_MASK = 0x300;
    public static final int DIRECTION_SHIFT = 8;
    public static final int DIRECTION_INBOUND = 1;
    public static final int DIRECTION_OUTBOUND = 2;

    private final FlowRecordLayout layout;
    private MemorySegment segment = MemorySegment.NULL;
    private long base;

    public FlowRecordView(FlowRecordLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /**
     * Points the view at the record starting at {@code offset}.
     *
     * @throws IndexOutOfBoundsException when the segment holds less than a whole record there
     */
    public FlowRecordView wrap(MemorySegment buffer, long offset) {
        Objects.checkFromIndexSize(offset, layout.size(), buffer.byteSize());
        this.segment = buffer;
        this.base = offset;
        return this;
    }

    public FlowRecordLayout layout() {
        return layout;
    }

    /** The first reason this record cannot be reported, or null when it is sound. */
    public FlowRecordDefect defect() {
        int family = addressFamily();
        if (family != Wire.AF_INET && family != Wire.AF_INET6) {
            return FlowRecordDefect.ADDRESS_FAMILY;
        }
        int proto = protocol();
        if (proto != Wire.IPPROTO_TCP && proto != Wire.IPPROTO_UDP) {
            return FlowRecordDefect.PROTOCOL;
        }
        if (proto == Wire.IPPROTO_TCP && layout.connectionStatus >= 0
                && Integer.compareUnsigned(rawConnectionStatus(), ConnectionStatus.maxValue(layout.version)) > 0) {
            return FlowRecordDefect.CONNECTION_STATUS;
        }
        if ((processId() >>> 32) != 0) {
            return FlowRecordDefect.PROCESS_ID;
        }
        return null;
    }

    public long flowHandle() { return u64(layout.flowHandle); }

    /** {@code flowCookie} (0x18); older versions have none and identify flows by {@link #flowHandle()}. */
    public long flowCookie() { return layout.flowCookie >= 0 ? u64(layout.flowCookie) : flowHandle(); }

    public long processId() { return u64(layout.processId); }

    public int addressFamily() { return u16(layout.addressFamily); }

    public int protocol() { return u16(layout.protocol); }

    public long flags() { return u32(layout.flags); }

    public boolean isClosed() { return (flags() & FLAG_CLOSED) != 0; }

    /** 0 unknown, 1 inbound, 2 outbound, 3 undefined. */
    public int direction() { return (int) ((flags() & DIRECTION_MASK) >>> DIRECTION_SHIFT); }

    /** Copies the local address (network order): 4 bytes for IPv4, 16 for IPv6. */
    public void copyLocalAddress(byte[] target) { copyAddress(layout.localAddress, target); }

    /** Copies the remote address (network order): 4 bytes for IPv4, 16 for IPv6. */
    public void copyRemoteAddress(byte[] target) { copyAddress(layout.remoteAddress, target); }

    /** Byte {@code index} of the 16-byte local address field. */
    public int localAddressByte(int index) { return segment.get(U8, base + layout.localAddress + Objects.checkIndex(index, 16)) & 0xFF; }

    /** Byte {@code index} of the 16-byte remote address field. */
    public int remoteAddressByte(int index) { return segment.get(U8, base + layout.remoteAddress + Objects.checkIndex(index, 16)) & 0xFF; }

    public long packetsOut() { return u64(layout.packetsOut); }

    /** Bytes sent including IP headers. */
    public long monotonicSentBytes() { return u64(layout.monotonicSentBytes); }

    /** Payload bytes sent. */
    public long transportBytesOut() { return u64(layout.transportBytesOut); }

    public long packetsIn() { return u64(layout.packetsIn); }

    public long monotonicRecvBytes() { return u64(layout.monotonicRecvBytes); }

    public long transportBytesIn() { return u64(layout.transportBytesIn); }

    /** Last activity, in the driver's unit (see {@code DriverTimestamps}). */
    public long timestamp() { return u64(layout.timestamp); }

    /** Local port in host order. */
    public int localPort() { return u16(layout.localPort); }

    /** Remote port in host order. */
    public int remotePort() { return u16(layout.remotePort); }

    public int classificationStatus() { return u16(layout.classificationStatus); }

    public int classifyRequest() { return u16(layout.classifyRequest); }

    public int classifyResponse() { return u16(layout.classifyResponse); }

    public boolean httpUpgradeToH2Requested() { return segment.get(U8, base + layout.httpUpgradeToH2Requested) != 0; }

    public boolean httpUpgradeToH2Accepted() { return segment.get(U8, base + layout.httpUpgradeToH2Accepted) != 0; }

    public int tlsVersionsOffered() { return u16(layout.tlsVersionsOffered); }

    public int tlsVersionChosen() { return u16(layout.tlsVersionChosen); }

    public long tlsAlpnRequested() { return u64(layout.tlsAlpnRequested); }

    public long tlsAlpnChosen() { return u64(layout.tlsAlpnChosen); }

    public long initialRtt() { return u64(layout.initialRtt); }

    public long smoothedRtt() { return u64(layout.smoothedRtt); }

    public long rttVariance() { return u64(layout.rttVariance); }

    public long retransmitCount() { return u64(layout.retransmitCount); }

    /** The raw {@code connectionStatus}; -1 for version 0x14, which has none. */
    public int rawConnectionStatus() { return layout.connectionStatus >= 0 ? (int) u32(layout.connectionStatus) : -1; }

    /** The TCP connection status of a sound record; {@link ConnectionStatus#UNKNOWN} when the version has none. */
    public ConnectionStatus connectionStatus() {
        int raw = rawConnectionStatus();
        return raw < 0 ? ConnectionStatus.UNKNOWN : ConnectionStatus.of(raw);
    }

    /** Windows interface index (0x18 only, else 0). */
    public long interfaceIndex() { return layout.interfaceIndex >= 0 ? u32(layout.interfaceIndex) : 0; }

    /** IANA TLS cipher suite (0x18 only, else 0). */
    public int tlsCipherSuite() { return layout.tlsCipherSuite >= 0 ? u16(layout.tlsCipherSuite) : 0; }

    private void copyAddress(long field, byte[] target) {
        int length = addressFamily() == Wire.AF_INET ? 4 : 16;
        MemorySegment.copy(segment, U8, base + field, target, 0, length);
    }

    private long u64(long field) {
        return segment.get(U64, base + field);
    }

    private long u32(long field) {
        return Integer.toUnsignedLong(segment.get(U32, base + field));
    }

    private int u16(long field) {
        return Short.toUnsignedInt(segment.get(U16, base + field));
    }
}
