package io.cnm4j.linux.internal;

import static io.cnm4j.linux.internal.ConnRecordLayout.*;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.internal.KeyedHash;
import io.cnm4j.core.spi.ConnectionEvent;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes {@code conn_key}/{@code conn_stats} records in place into a reusable
 * {@link ConnectionEvent}, allocating nothing. Times are converted from the kernel's
 * {@code CLOCK_MONOTONIC} to epoch nanoseconds with an offset measured once.
 *
 * <p>Public only so that the benchmarks can measure it; not an API (this package is internal).
 * Immutable: safe from any thread, for distinct events.
 */
public final class ConnRecordDecoder {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final long monotonicToEpochNanos;

    /**
     * @param monotonicToEpochNanos added to the kernel's {@code CLOCK_MONOTONIC} nanoseconds to give
     *                              epoch nanoseconds
     */
    public ConnRecordDecoder(long monotonicToEpochNanos) {
        this.monotonicToEpochNanos = monotonicToEpochNanos;
    }

    /**
     * The id the state engine tracks a flow by: the cookie for TCP; for UDP, whose socket may talk
     * to many peers (the overflow flow has an all-zero peer), a keyed hash of cookie and peer, since
     * the peer is chosen by whoever sends (see {@link KeyedHash}).
     */
    public static long flowId(long cookie, MemorySegment stats, long statsOffset) {
        if (stats.get(ValueLayout.JAVA_BYTE, statsOffset + STATS_PROTOCOL) == PROTOCOL_TCP) {
            return cookie;
        }
        return KeyedHash.PROCESS.flowId(cookie, stats.get(U64, statsOffset + STATS_RADDR),
                stats.get(U64, statsOffset + STATS_RADDR + 8), stats.get(U16, statsOffset + STATS_RPORT));
    }

    /**
     * Fills the event (its kind left to the caller) from a map key or record key at
     * {@code keyOffset} (every key starts with the socket cookie) and its {@code conn_stats} at
     * {@code statsOffset}.
     */
    public void decode(MemorySegment key, long keyOffset, MemorySegment stats, long statsOffset, ConnectionEvent out) {
        long cookie = key.get(U64, keyOffset + KEY_COOKIE);
        out.flowId(flowId(cookie, stats, statsOffset));
        out.cookie(cookie);
        boolean v6 = stats.get(ValueLayout.JAVA_BYTE, statsOffset + STATS_FAMILY) == FAMILY_V6;
        out.family(v6 ? Family.V6 : Family.V4);
        out.protocol(stats.get(ValueLayout.JAVA_BYTE, statsOffset + STATS_PROTOCOL) == PROTOCOL_TCP
                ? Protocol.TCP : Protocol.UDP);
        MemorySegment.copy(stats, ValueLayout.JAVA_BYTE, statsOffset + STATS_LADDR, out.localAddress(), 0, 16);
        MemorySegment.copy(stats, ValueLayout.JAVA_BYTE, statsOffset + STATS_RADDR, out.remoteAddress(), 0, 16);
        out.localPort(stats.get(U16, statsOffset + STATS_LPORT) & 0xFFFF);
        out.remotePort(stats.get(U16, statsOffset + STATS_RPORT) & 0xFFFF);
        out.direction(switch (stats.get(ValueLayout.JAVA_BYTE, statsOffset + STATS_DIRECTION)) {
            case 1 -> Direction.INCOMING;
            case 2 -> Direction.OUTGOING;
            default -> Direction.NONE;
        });
        out.establishedAfterStart(stats.get(ValueLayout.JAVA_BYTE, statsOffset + STATS_ESTABLISHED) != 0);
        out.pid(stats.get(U32, statsOffset + STATS_PID));
        out.netns(Integer.toUnsignedLong(stats.get(U32, statsOffset + STATS_NETNS)));
        out.startEpochNanos(stats.get(U64, statsOffset + STATS_START_NS) + monotonicToEpochNanos);
        out.lastUpdateEpochNanos(stats.get(U64, statsOffset + STATS_LAST_UPDATE_NS) + monotonicToEpochNanos);
        out.bytesSent(stats.get(U64, statsOffset + STATS_BYTES_SENT));
        out.bytesReceived(stats.get(U64, statsOffset + STATS_BYTES_RECV));
        out.packetsSent(stats.get(U64, statsOffset + STATS_PACKETS_SENT));
        out.packetsReceived(stats.get(U64, statsOffset + STATS_PACKETS_RECV));
        out.retransmits(Integer.toUnsignedLong(stats.get(U32, statsOffset + STATS_RETRANSMITS)));
        out.rttMicros(Integer.toUnsignedLong(stats.get(U32, statsOffset + STATS_SRTT_US)));
        out.rttVarMicros(Integer.toUnsignedLong(stats.get(U32, statsOffset + STATS_RTTVAR_US)));
        out.failureErrno(stats.get(U32, statsOffset + STATS_FAILURE_ERRNO));
        out.cgroupId(stats.get(U64, statsOffset + STATS_CGROUP_ID));
        MemorySegment.copy(stats, ValueLayout.JAVA_BYTE, statsOffset + STATS_COMM, out.commBytes(), 0, STATS_COMM_BYTES);
        out.commWritten();
    }
}
