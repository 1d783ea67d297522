package io.cnm4j.linux.internal.sockdiag;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The sock_diag structures this backend reads, declared after {@code linux/inet_diag.h} and
 * {@code linux/tcp.h}; offsets come from the layouts, not from hand constants. Ports and
 * addresses are big-endian in the kernel's structs, the rest host order. Stateless.
 */
final class InetDiag {
    static final int SOCK_DIAG_BY_FAMILY = 20;
    /** Bit of {@code idiag_ext} asking for INET_DIAG_INFO (attribute 2): {@code 1 << (2 - 1)}. */
    static final int EXT_INFO = 1 << 1;
    static final int INET_DIAG_INFO = 2;

    /** struct inet_diag_sockid. */
    static final StructLayout SOCKID = MemoryLayout.structLayout(
            JAVA_SHORT.withName("idiag_sport"),
            JAVA_SHORT.withName("idiag_dport"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("idiag_src"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("idiag_dst"),
            JAVA_INT.withName("idiag_if"),
            MemoryLayout.sequenceLayout(2, JAVA_INT).withName("idiag_cookie"));

    /** struct inet_diag_req_v2. */
    static final StructLayout REQUEST = MemoryLayout.structLayout(
            JAVA_BYTE.withName("sdiag_family"),
            JAVA_BYTE.withName("sdiag_protocol"),
            JAVA_BYTE.withName("idiag_ext"),
            JAVA_BYTE.withName("pad"),
            JAVA_INT.withName("idiag_states"),
            SOCKID.withName("id"));

    /** struct inet_diag_msg. */
    static final StructLayout MESSAGE = MemoryLayout.structLayout(
            JAVA_BYTE.withName("idiag_family"),
            JAVA_BYTE.withName("idiag_state"),
            JAVA_BYTE.withName("idiag_timer"),
            JAVA_BYTE.withName("idiag_retrans"),
            SOCKID.withName("id"),
            JAVA_INT.withName("idiag_expires"),
            JAVA_INT.withName("idiag_rqueue"),
            JAVA_INT.withName("idiag_wqueue"),
            JAVA_INT.withName("idiag_uid"),
            JAVA_INT.withName("idiag_inode"));

    /** struct tcp_info up to the fields read here (the kernel appends fields, never moves them). */
    static final StructLayout TCP_INFO = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("state_to_wscale"),
            MemoryLayout.sequenceLayout(14, JAVA_INT).withName("rto_to_pmtu"),
            JAVA_INT.withName("tcpi_rcv_ssthresh"),
            JAVA_INT.withName("tcpi_rtt"),
            JAVA_INT.withName("tcpi_rttvar"),
            MemoryLayout.sequenceLayout(6, JAVA_INT).withName("snd_ssthresh_to_rcv_space"),
            JAVA_INT.withName("tcpi_total_retrans"),
            JAVA_LONG.withName("tcpi_pacing_rate"),
            JAVA_LONG.withName("tcpi_max_pacing_rate"),
            JAVA_LONG.withName("tcpi_bytes_acked"),
            JAVA_LONG.withName("tcpi_bytes_received"),
            JAVA_INT.withName("tcpi_segs_out"),
            JAVA_INT.withName("tcpi_segs_in"),
            MemoryLayout.sequenceLayout(4, JAVA_INT).withName("notsent_to_data_segs_out"),
            JAVA_LONG.withName("tcpi_delivery_rate"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("busy_to_sndbuf_limited"),
            JAVA_INT.withName("tcpi_delivered"),
            JAVA_INT.withName("tcpi_delivered_ce"),
            JAVA_LONG.withName("tcpi_bytes_sent"),
            JAVA_LONG.withName("tcpi_bytes_retrans"));

    static final long REQUEST_FAMILY = REQUEST.byteOffset(groupElement("sdiag_family"));
    static final long REQUEST_PROTOCOL = REQUEST.byteOffset(groupElement("sdiag_protocol"));
    static final long REQUEST_EXT = REQUEST.byteOffset(groupElement("idiag_ext"));
    static final long REQUEST_STATES = REQUEST.byteOffset(groupElement("idiag_states"));

    static final long MSG_FAMILY = MESSAGE.byteOffset(groupElement("idiag_family"));
    static final long MSG_STATE = MESSAGE.byteOffset(groupElement("idiag_state"));
    static final long MSG_SPORT = MESSAGE.byteOffset(groupElement("id"), groupElement("idiag_sport"));
    static final long MSG_DPORT = MESSAGE.byteOffset(groupElement("id"), groupElement("idiag_dport"));
    static final long MSG_SRC = MESSAGE.byteOffset(groupElement("id"), groupElement("idiag_src"));
    static final long MSG_DST = MESSAGE.byteOffset(groupElement("id"), groupElement("idiag_dst"));
    static final long MSG_COOKIE = MESSAGE.byteOffset(groupElement("id"), groupElement("idiag_cookie"));
    static final long MSG_INODE = MESSAGE.byteOffset(groupElement("idiag_inode"));

    static final long TCPI_RTT = TCP_INFO.byteOffset(groupElement("tcpi_rtt"));
    static final long TCPI_RTTVAR = TCP_INFO.byteOffset(groupElement("tcpi_rttvar"));
    static final long TCPI_TOTAL_RETRANS = TCP_INFO.byteOffset(groupElement("tcpi_total_retrans"));
    static final long TCPI_BYTES_ACKED = TCP_INFO.byteOffset(groupElement("tcpi_bytes_acked"));
    static final long TCPI_BYTES_RECEIVED = TCP_INFO.byteOffset(groupElement("tcpi_bytes_received"));
    static final long TCPI_SEGS_OUT = TCP_INFO.byteOffset(groupElement("tcpi_segs_out"));
    static final long TCPI_SEGS_IN = TCP_INFO.byteOffset(groupElement("tcpi_segs_in"));
    static final long TCPI_BYTES_SENT = TCP_INFO.byteOffset(groupElement("tcpi_bytes_sent"));
    static final long TCPI_BYTES_RETRANS = TCP_INFO.byteOffset(groupElement("tcpi_bytes_retrans"));
    /** tcp_info before {@code tcpi_bytes_sent} (Linux < 4.19) ends after {@code tcpi_segs_in}. */
    static final long TCP_INFO_MIN_BYTES = TCPI_SEGS_IN + 4;

    private InetDiag() {
    }
}
