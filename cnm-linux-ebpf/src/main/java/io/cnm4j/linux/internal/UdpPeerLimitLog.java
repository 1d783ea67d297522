package io.cnm4j.linux.internal;

import static io.cnm4j.linux.internal.ConnRecordLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the UDP sockets whose traffic started to go to their overflow flow (too many peers, or a
 * full {@code udp_stats} map): a process that talks to tens of thousands of peers is either a busy
 * server or trying to blind the monitor, and the operator should know which. Counted, and logged
 * once per socket with its PID, cgroup id and process name (escaped: any process can pick its name).
 */
final class UdpPeerLimitLog {
    private static final Logger LOG = LoggerFactory.getLogger(UdpPeerLimitLog.class);

    private volatile long sockets;

    /** Ring-buffer thread: one {@code CNM_RECORD_UDP_PEER_LIMIT} record. */
    void record(MemorySegment memory, long offset) {
        sockets++;
        long stats = offset + RECORD_STATS;
        if (!LOG.isWarnEnabled()) {
            return;
        }
        int reason = memory.get(ValueLayout.JAVA_INT_UNALIGNED, stats + STATS_FAILURE_ERRNO);
        LOG.warn("UDP socket cookie {} of pid {} ({}), cgroup id {}, port {}: further peers are summed into its "
                        + "overflow flow ({})",
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + RECORD_KEY + KEY_COOKIE),
                Integer.toUnsignedLong(memory.get(ValueLayout.JAVA_INT_UNALIGNED, stats + STATS_PID)),
                processName(memory, stats + STATS_COMM),
                memory.get(ValueLayout.JAVA_LONG_UNALIGNED, stats + STATS_CGROUP_ID),
                memory.get(ValueLayout.JAVA_SHORT_UNALIGNED, stats + STATS_LPORT) & 0xFFFF,
                reason == TELEMETRY_UDP_PEER_LIMIT ? "udp_peer_limit reached" : "udp_stats map full");
    }

    /** Sockets reported so far. */
    long sockets() {
        return sockets;
    }

    /** The NUL-padded comm, with every byte outside printable ASCII shown as \\xNN. */
    static String processName(MemorySegment memory, long offset) {
        StringBuilder name = new StringBuilder(STATS_COMM_BYTES);
        for (int i = 0; i < STATS_COMM_BYTES; i++) {
            int b = memory.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF;
            if (b == 0) {
                break;
            }
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                name.append((char) b);
            } else {
                name.append(String.format("\\x%02x", b));
            }
        }
        return name.toString();
    }
}
