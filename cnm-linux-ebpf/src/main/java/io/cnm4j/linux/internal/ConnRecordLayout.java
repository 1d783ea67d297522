package io.cnm4j.linux.internal;

import static io.cnm4j.core.internal.ffm.StructOffsets.offset;
import static io.cnm4j.core.internal.ffm.StructOffsets.size;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The records shared with the BPF programs, declared once as the structs of {@code cnm_conn.h}
 * (checked against the header by {@code ConnRecordLayoutTest}); the byte offsets the decoders index
 * with are read from these layouts. Host byte order.
 */
final class ConnRecordLayout {
    /** {@code struct conn_key}: key of map udp_stats and head of every record. */
    static final StructLayout CONN_KEY = MemoryLayout.structLayout(
            JAVA_LONG.withName("cookie"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("raddr"),
            JAVA_SHORT.withName("rport"),
            JAVA_BYTE.withName("family"),
            JAVA_BYTE.withName("protocol"),
            JAVA_INT.withName("pad"));

    static final int STATS_COMM_BYTES = 16;

    /** {@code struct conn_stats}: value of maps tcp_live, udp_stats and udp_overflow. */
    static final StructLayout CONN_STATS = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("laddr"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("raddr"),
            JAVA_SHORT.withName("lport"),
            JAVA_SHORT.withName("rport"),
            JAVA_BYTE.withName("family"),
            JAVA_BYTE.withName("protocol"),
            JAVA_BYTE.withName("direction"),
            JAVA_BYTE.withName("established"),
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("netns"),
            JAVA_LONG.withName("start_ns"),
            JAVA_LONG.withName("last_update_ns"),
            JAVA_LONG.withName("bytes_sent"),
            JAVA_LONG.withName("bytes_recv"),
            JAVA_LONG.withName("packets_sent"),
            JAVA_LONG.withName("packets_recv"),
            JAVA_INT.withName("retransmits"),
            JAVA_INT.withName("srtt_us"),
            JAVA_INT.withName("rttvar_us"),
            JAVA_INT.withName("failure_errno"),
            JAVA_LONG.withName("cgroup_id"),
            JAVA_LONG.withName("seq"),
            MemoryLayout.sequenceLayout(STATS_COMM_BYTES, JAVA_BYTE).withName("comm"),
            JAVA_INT.withName("live_pass"),
            JAVA_INT.withName("reserved"));

    /** {@code struct conn_record}: record of ring buffer closed_events. */
    static final StructLayout CONN_RECORD = MemoryLayout.structLayout(
            CONN_KEY.withName("key"),
            CONN_STATS.withName("stats"),
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("pad"));

    /** {@code struct cnm_config} in .rodata, written before load. */
    static final StructLayout CNM_CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("collect_tcp"),
            JAVA_INT.withName("collect_udp"),
            JAVA_INT.withName("collect_ipv6"),
            JAVA_INT.withName("udp_peer_limit"),
            JAVA_INT.withName("tcp_live_iterator"));

    static final int KEY_BYTES = size(CONN_KEY);
    static final int KEY_COOKIE = offset(CONN_KEY, "cookie");
    static final int KEY_RADDR = offset(CONN_KEY, "raddr");
    static final int KEY_RPORT = offset(CONN_KEY, "rport");
    static final int KEY_FAMILY = offset(CONN_KEY, "family");
    static final int KEY_PROTOCOL = offset(CONN_KEY, "protocol");

    /** Keys of the maps tcp_live and udp_overflow: the socket cookie alone. */
    static final int COOKIE_KEY_BYTES = (int) JAVA_LONG.byteSize();

    static final int STATS_BYTES = size(CONN_STATS);
    static final int STATS_LADDR = offset(CONN_STATS, "laddr");
    static final int STATS_RADDR = offset(CONN_STATS, "raddr");
    static final int STATS_LPORT = offset(CONN_STATS, "lport");
    static final int STATS_RPORT = offset(CONN_STATS, "rport");
    static final int STATS_FAMILY = offset(CONN_STATS, "family");
    static final int STATS_PROTOCOL = offset(CONN_STATS, "protocol");
    static final int STATS_DIRECTION = offset(CONN_STATS, "direction");
    static final int STATS_ESTABLISHED = offset(CONN_STATS, "established");
    static final int STATS_PID = offset(CONN_STATS, "pid");
    static final int STATS_NETNS = offset(CONN_STATS, "netns");
    static final int STATS_START_NS = offset(CONN_STATS, "start_ns");
    static final int STATS_LAST_UPDATE_NS = offset(CONN_STATS, "last_update_ns");
    static final int STATS_BYTES_SENT = offset(CONN_STATS, "bytes_sent");
    static final int STATS_BYTES_RECV = offset(CONN_STATS, "bytes_recv");
    static final int STATS_PACKETS_SENT = offset(CONN_STATS, "packets_sent");
    static final int STATS_PACKETS_RECV = offset(CONN_STATS, "packets_recv");
    static final int STATS_RETRANSMITS = offset(CONN_STATS, "retransmits");
    static final int STATS_SRTT_US = offset(CONN_STATS, "srtt_us");
    static final int STATS_RTTVAR_US = offset(CONN_STATS, "rttvar_us");
    static final int STATS_FAILURE_ERRNO = offset(CONN_STATS, "failure_errno");
    static final int STATS_CGROUP_ID = offset(CONN_STATS, "cgroup_id");
    static final int STATS_SEQ = offset(CONN_STATS, "seq");
    static final int STATS_COMM = offset(CONN_STATS, "comm");
    static final int STATS_LIVE_PASS = offset(CONN_STATS, "live_pass");

    static final int RECORD_BYTES = size(CONN_RECORD);
    static final int RECORD_KEY = offset(CONN_RECORD, "key");
    static final int RECORD_STATS = offset(CONN_RECORD, "stats");
    static final int RECORD_KIND = offset(CONN_RECORD, "kind");

    static final int RECORD_TCP_CLOSED = 1;
    static final int RECORD_UDP_CLOSED = 2;
    static final int RECORD_UDP_RELEASED = 3;
    static final int RECORD_UDP_PEER_LIMIT = 4;

    static final int TELEMETRY_UDP_MAP_FULL = 0;
    static final int TELEMETRY_RINGBUF_FULL = 1;
    static final int TELEMETRY_SK_STORAGE_FAILED = 2;
    static final int TELEMETRY_UDP_PEER_UNKNOWN = 3;
    static final int TELEMETRY_TCP_TRACKED = 4;
    static final int TELEMETRY_UDP_PEER_LIMIT = 5;
    static final int TELEMETRY_TCP_LIVE_FULL = 6;
    static final int TELEMETRY_UDP_LOST = 7;
    static final int TELEMETRY_TCP_CLOSES_SUBMITTED = 8;
    static final int TELEMETRY_SLOTS = 9;

    static final int CONFIG_BYTES = size(CNM_CONFIG);
    static final int CONFIG_COLLECT_TCP = offset(CNM_CONFIG, "collect_tcp");
    static final int CONFIG_COLLECT_UDP = offset(CNM_CONFIG, "collect_udp");
    static final int CONFIG_COLLECT_IPV6 = offset(CNM_CONFIG, "collect_ipv6");
    static final int CONFIG_UDP_PEER_LIMIT = offset(CNM_CONFIG, "udp_peer_limit");
    static final int CONFIG_TCP_LIVE_ITERATOR = offset(CNM_CONFIG, "tcp_live_iterator");

    static final int PROTOCOL_TCP = 6;
    static final int FAMILY_V6 = 6;

    private ConnRecordLayout() {
    }
}
