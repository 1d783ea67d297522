package io.cnm4j.linux.internal.dns;

/**
 * One packet taken from the packet socket: its bytes from the network (IP) header on, copied out
 * of the kernel's buffer so that the buffer can be handed back at once, and what the kernel said
 * about it. Refilled for every packet.
 *
 * <p>Not thread-safe: confined to the capture thread.
 */
final class CapturedPacket {
    /** {@code sll_pkttype} of a packet this host sent. */
    static final int PACKET_OUTGOING = 4;
    /** {@code sll_hatype} of the loopback device. */
    static final int ARPHRD_LOOPBACK = 772;

    private final byte[] data;
    private int length;
    private int wireLength;
    private int packetType;
    private int hardwareType;
    private long timestampNanos;

    CapturedPacket(int capacity) {
        this.data = new byte[capacity];
    }

    /** The packet from its IP header on; valid up to {@link #length()}. */
    byte[] data() {
        return data;
    }

    /** Bytes captured from the IP header on. */
    int length() {
        return length;
    }

    /** Bytes the packet had from the IP header on; more than {@link #length()} when truncated. */
    int wireLength() {
        return wireLength;
    }

    /** {@code sll_pkttype}: 0 to this host, 4 outgoing… */
    int packetType() {
        return packetType;
    }

    /** {@code sll_hatype} of the device: 1 Ethernet, 772 loopback… */
    int hardwareType() {
        return hardwareType;
    }

    /** When the packet was captured, in nanoseconds on the socket's clock. */
    long timestampNanos() {
        return timestampNanos;
    }

    /** True for the outgoing copy of a loopback packet, which the filter normally drops already. */
    boolean isOutgoingLoopbackCopy() {
        return packetType == PACKET_OUTGOING && hardwareType == ARPHRD_LOOPBACK;
    }

    int capacity() {
        return data.length;
    }

    void set(int capturedLength, int originalLength, int type, int hatype, long timestamp) {
        this.length = capturedLength;
        this.wireLength = originalLength;
        this.packetType = type;
        this.hardwareType = hatype;
        this.timestampNanos = timestamp;
    }
}
