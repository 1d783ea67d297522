package io.cnm4j.core;

/**
 * The counters of one connection: either monotonic totals since capture started or the
 * delta a consumer has not seen yet.
 *
 * @param bytesSent application payload bytes sent
 * @param bytesReceived application payload bytes received
 * @param packetsSent segments (TCP) or datagrams (UDP) sent
 * @param packetsReceived segments (TCP) or datagrams (UDP) received
 * @param retransmits retransmitted TCP segments
 * @param tcpEstablished 1 when the connection was established after capture started
 * @param tcpClosed 1 when the connection was closed
 */
public record Counters(
        long bytesSent,
        long bytesReceived,
        long packetsSent,
        long packetsReceived,
        long retransmits,
        long tcpEstablished,
        long tcpClosed) {

    /** All counters zero. */
    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0);

    /**
     * Element-wise sum.
     *
     * @param other the counters to add
     * @return the sums
     */
    public Counters plus(Counters other) {
        return new Counters(
                bytesSent + other.bytesSent,
                bytesReceived + other.bytesReceived,
                packetsSent + other.packetsSent,
                packetsReceived + other.packetsReceived,
                retransmits + other.retransmits,
                tcpEstablished + other.tcpEstablished,
                tcpClosed + other.tcpClosed);
    }

    /**
     * Element-wise difference, each clamped at zero: a counter that went backwards (a reset
     * socket statistic) yields no delta rather than a negative one.
     *
     * @param earlier an earlier reading of the same flow
     * @return the increases since that reading
     */
    public Counters minusClamped(Counters earlier) {
        return new Counters(
                Math.max(0, bytesSent - earlier.bytesSent),
                Math.max(0, bytesReceived - earlier.bytesReceived),
                Math.max(0, packetsSent - earlier.packetsSent),
                Math.max(0, packetsReceived - earlier.packetsReceived),
                Math.max(0, retransmits - earlier.retransmits),
                Math.max(0, tcpEstablished - earlier.tcpEstablished),
                Math.max(0, tcpClosed - earlier.tcpClosed));
    }

    /** {@return true when every counter is zero} */
    public boolean isZero() {
        return bytesSent == 0 && bytesReceived == 0 && packetsSent == 0 && packetsReceived == 0
                && retransmits == 0 && tcpEstablished == 0 && tcpClosed == 0;
    }
}
