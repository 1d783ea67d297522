package io.cnm4j.linux.internal;

/**
 * Byte offsets of the records shared with the BPF programs, mirroring {@code cnm_conn.h}
 * (checked against the header by {@code ConnRecordLayoutTest}). Host byte order.
 */
final class ConnRecordLayout {
    static final int KEY_BYTES = 32;
    static final int KEY_COOKIE = 0;
    static final int KEY_RADDR = 8;
    static final int KEY_RPORT = 24;
    static final int KEY_FAMILY = 26;
    static final int KEY_PROTOCOL = 27;

    /** Keys of the maps tcp_live and udp_overflow: the socket cookie alone. */
    static final int COOKIE_KEY_BYTES = 8;

    static final int STATS_BYTES = 144;
    static final int STATS_LADDR = 0;
    static final int STATS_RADDR = 16;
    static final int STATS_LPORT = 32;
    static final int STATS_RPORT = 34;
    static final int STATS_FAMILY = 36;
    static final int STATS_PROTOCOL = 37;
    static final int STATS_DIRECTION = 38;
    static final int STATS_ESTABLISHED = 39;
    static final int STATS_PID = 40;
    static final int STATS_NETNS = 44;
    static final int STATS_START_NS = 48;
    static final int STATS_LAST_UPDATE_NS = 56;
    static final int STATS_BYTES_SENT = 64;
    static final int STATS_BYTES_RECV = 72;
    static final int STATS_PACKETS_SENT = 80;
    static final int STATS_PACKETS_RECV = 88;
    static final int STATS_RETRANSMITS = 96;
    static final int STATS_SRTT_US = 100;
    static final int STATS_RTTVAR_US = 104;
    static final int STATS_FAILURE_ERRNO = 108;
    static final int STATS_CGROUP_ID = 112;
    static final int STATS_SEQ = 120;
    static final int STATS_COMM = 128;
    static final int STATS_COMM_BYTES = 16;

    static final int RECORD_BYTES = 184;
    static final int RECORD_KEY = 0;
    static final int RECORD_STATS = 32;
    static final int RECORD_KIND = 176;

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
    static final int TELEMETRY_SLOTS = 8;

    /** struct cnm_config in .rodata, written before load. */
    static final int CONFIG_BYTES = 16;
    static final int CONFIG_COLLECT_TCP = 0;
    static final int CONFIG_COLLECT_UDP = 4;
    static final int CONFIG_COLLECT_IPV6 = 8;
    static final int CONFIG_UDP_PEER_LIMIT = 12;

    static final int PROTOCOL_TCP = 6;
    static final int FAMILY_V6 = 6;

    private ConnRecordLayout() {
    }
}
