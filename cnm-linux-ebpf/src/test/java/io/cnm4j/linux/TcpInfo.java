package io.cnm4j.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The fields of the kernel's {@code struct tcp_info} ({@code linux/tcp.h}) that the tests compare
 * the delivered counters with, as {@code getsockopt(TCP_INFO)} returned them at one instant.
 *
 * @param state {@code tcpi_state}, a {@code TCP_*} state (1 = ESTABLISHED)
 * @param unacked {@code tcpi_unacked}: segments sent and not yet acknowledged
 * @param rttMicros {@code tcpi_rtt}: smoothed RTT, µs
 * @param rttVarMicros {@code tcpi_rttvar}: RTT variance, µs
 * @param totalRetrans {@code tcpi_total_retrans}: retransmitted segments over the socket's life
 * @param segsOut {@code tcpi_segs_out}: segments sent, retransmissions and pure ACKs included
 * @param segsIn {@code tcpi_segs_in}: segments received
 */
record TcpInfo(int state, long unacked, long rttMicros, long rttVarMicros, long totalRetrans, long segsOut,
        long segsIn) {

    /*
     * Offsets in linux/tcp.h (the same on every Linux architecture: only fixed-width fields
     * precede them). The struct grows at its end across kernels; the kernel copies
     * min(optlen, its size), so asking for BYTES works on older and newer kernels alike.
     */
    static final int BYTES = 232;
    static final int STATE = 0;
    static final int UNACKED = 24;
    static final int RTT = 68;
    static final int RTTVAR = 72;
    static final int TOTAL_RETRANS = 100;
    static final int SEGS_OUT = 136;
    static final int SEGS_IN = 140;
    /** tcpi_segs_in is the last field read: kernels older than 4.2 return less and are refused. */
    static final int MINIMUM_BYTES = SEGS_IN + Integer.BYTES;

    static final int TCP_ESTABLISHED = 1;

    /** Reads the fields from a {@code struct tcp_info} the kernel filled. */
    static TcpInfo read(MemorySegment info) {
        return new TcpInfo(
                Byte.toUnsignedInt(info.get(ValueLayout.JAVA_BYTE, STATE)),
                u32(info, UNACKED),
                u32(info, RTT),
                u32(info, RTTVAR),
                u32(info, TOTAL_RETRANS),
                u32(info, SEGS_OUT),
                u32(info, SEGS_IN));
    }

    private static long u32(MemorySegment info, int offset) {
        return Integer.toUnsignedLong(info.get(ValueLayout.JAVA_INT_UNALIGNED, offset));
    }
}
