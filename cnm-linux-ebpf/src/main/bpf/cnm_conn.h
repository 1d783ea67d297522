/*
 * Record layouts shared by the BPF programs (cnm_conn.bpf.c) and the Java
 * decoder (io.cnm4j.linux). This is a binary contract: every struct has fixed
 * width fields, explicit padding and no implicit holes; all fields are in host
 * byte order (little endian on x86_64/arm64) unless stated otherwise.
 *
 * Addresses: 16 bytes. IPv4 (family 4) uses bytes 0..3 in network order and
 * bytes 4..15 are zero; IPv6 (family 6) uses all 16 bytes in network order.
 * An IPv4-mapped IPv6 socket (::ffff:a.b.c.d) is reported as family 4.
 * Ports are in host byte order. Times are bpf_ktime_get_ns() (CLOCK_MONOTONIC).
 *
 * struct conn_key (32 bytes), key of map udp_stats and head of every record
 * (maps tcp_live and udp_overflow are keyed by the cookie alone)
 *   off size field
 *     0    8 cookie     socket cookie (bpf_get_socket_cookie / SO_COOKIE)
 *     8   16 raddr      UDP: remote address as the application named it
 *                       (before NAT); all zero for the socket's overflow
 *                       flow; TCP: all zero
 *    24    2 rport      UDP: remote port; zero for the overflow flow; TCP: zero
 *    26    1 family     4 or 6
 *    27    1 protocol   6 (TCP) or 17 (UDP)
 *    28    4 pad        zero
 *
 * struct conn_stats (144 bytes), value of maps tcp_live, udp_stats and
 * udp_overflow, body of every record
 *   off size field
 *     0   16 laddr
 *    16   16 raddr
 *    32    2 lport
 *    34    2 rport
 *    36    1 family       4 or 6
 *    37    1 protocol     6 or 17
 *    38    1 direction    CNM_DIR_*; 0 when the kernel side cannot tell (TCP
 *                         connections that predate tracking)
 *    39    1 established  TCP: 1 = reached ESTABLISHED while tracked
 *    40    4 pid          tgid (init pid namespace); 0 until a process context is seen
 *    44    4 netns        network namespace inode (as in /proc/PID/ns/net)
 *    48    8 start_ns     when tracking started
 *    56    8 last_update_ns TCP: with cnm_config.tcp_live_iterator, when the
 *                         connection last sent or received a segment
 *                         (tcp_sock.tcp_mstamp; when tracking started if
 *                         later) as of the last read, or the last state
 *                         change; else the last state change, or the first
 *                         send or receive in the jiffy (kernel tick) of the
 *                         last one; in a closed record, when it closed
 *    64    8 bytes_sent   application payload since tracking started: TCP
 *    72    8 bytes_recv   from the socket's sequence numbers (what send,
 *                         sendfile, splice... handed over and what recv,
 *                         splice, zero-copy receive... consumed); UDP from
 *                         send/recv results
 *    80    8 packets_sent TCP segments / UDP datagrams since tracking started
 *    88    8 packets_recv
 *    96    4 retransmits  TCP: segments retransmitted since tracking started
 *   100    4 srtt_us      TCP: srtt_us >> 3 (tcpi_rtt)
 *   104    4 rttvar_us    TCP: mdev_us >> 2 (tcpi_rttvar)
 *   108    4 failure_errno TCP: why the connection failed (104 reset, 110
 *                         timed out, 111 refused, 113/101 unreachable, 99 no
 *                         local port, 125 cancelled by the application), else 0
 *   112    8 cgroup_id    cgroup v2 id of the process that set pid
 *   120    8 seq          TCP: tracking sequence number (1, 2, ...), see
 *                         CNM_TEL_TCP_TRACKED; UDP: 0
 *   128   16 comm         name of the process that set pid, NUL padded
 *
 * struct conn_record (184 bytes), record of ring buffer closed_events
 *   off size field
 *     0   32 key
 *    32  144 stats
 *   176    4 kind         CNM_RECORD_*
 *   180    4 pad          zero
 *
 * Telemetry: map telemetry is an ARRAY of CNM_TEL_SLOTS __u64, index CNM_TEL_*.
 * Configuration: the .rodata struct cnm_config, written before load.
 */
#ifndef CNM_CONN_H
#define CNM_CONN_H

#include <linux/types.h>

#define CNM_DIR_UNKNOWN 0
#define CNM_DIR_INCOMING 1
#define CNM_DIR_OUTGOING 2

/* Final counters of a TCP connection whose socket is gone. */
#define CNM_RECORD_TCP_CLOSED 1
/* Final counters of one peer of a released UDP socket (its first peer, or its overflow flow). */
#define CNM_RECORD_UDP_CLOSED 2
/*
 * UDP socket released after talking to more than one peer: only key.cookie,
 * key.family and key.protocol are set. Every udp_stats entry with this cookie
 * is closed; user space reports and deletes them.
 */
#define CNM_RECORD_UDP_RELEASED 3
/*
 * A UDP socket started to sum peers into its overflow flow (peer limit or full
 * map): key.cookie, stats.pid, stats.netns, stats.cgroup_id, stats.comm name
 * the offender, stats.failure_errno holds the CNM_TEL_* slot of the reason.
 */
#define CNM_RECORD_UDP_PEER_LIMIT 4

/* UDP datagrams summed into a socket's overflow flow because udp_stats was full. */
#define CNM_TEL_UDP_MAP_FULL 0
/* closed_events full: a record was lost. */
#define CNM_TEL_RINGBUF_FULL 1
/* Per-socket storage could not be created: that socket is not tracked. */
#define CNM_TEL_SK_STORAGE_FAILED 2
/* UDP datagrams whose peer the hooks could not see, summed into the overflow flow. */
#define CNM_TEL_UDP_PEER_UNKNOWN 3
/* TCP sockets tracked so far: the last sequence number handed out. */
#define CNM_TEL_TCP_TRACKED 4
/* UDP datagrams summed into a socket's overflow flow because of the peer limit. */
#define CNM_TEL_UDP_PEER_LIMIT 5
/* TCP connections that found tcp_live full: reported only when they close. */
#define CNM_TEL_TCP_LIVE_FULL 6
/* UDP datagrams counted nowhere: the overflow flow itself found udp_overflow full. */
#define CNM_TEL_UDP_LOST 7
/* TCP close records submitted to closed_events. */
#define CNM_TEL_TCP_CLOSES_SUBMITTED 8
#define CNM_TEL_SLOTS 9

#define CNM_TCP_LIVE_DEFAULT_ENTRIES 65536
#define CNM_UDP_STATS_DEFAULT_ENTRIES 65536
#define CNM_UDP_OVERFLOW_ENTRIES 4096
#define CNM_CLOSED_EVENTS_BYTES (4 * 1024 * 1024)

struct conn_key {
	__u64 cookie;
	__u8 raddr[16];
	__u16 rport;
	__u8 family;
	__u8 protocol;
	__u32 pad;
};

struct conn_stats {
	__u8 laddr[16];
	__u8 raddr[16];
	__u16 lport;
	__u16 rport;
	__u8 family;
	__u8 protocol;
	__u8 direction;
	__u8 established;
	__u32 pid;
	__u32 netns;
	__u64 start_ns;
	__u64 last_update_ns;
	__u64 bytes_sent;
	__u64 bytes_recv;
	__u64 packets_sent;
	__u64 packets_recv;
	__u32 retransmits;
	__u32 srtt_us;
	__u32 rttvar_us;
	__u32 failure_errno;
	__u64 cgroup_id;
	__u64 seq;
	char comm[16];
	/* TCP: the iterator pass that last refreshed the entry (see live_pass). */
	__u32 live_pass;
	__u32 reserved;
};

struct conn_record {
	struct conn_key key;
	struct conn_stats stats;
	__u32 kind;
	__u32 pad;
};

/* Set by user space in .rodata before load; the verifier prunes what is switched off. */
struct cnm_config {
	__u32 collect_tcp;
	__u32 collect_udp;
	__u32 collect_ipv6;
	/* Peers one UDP socket gets entries for; later peers are summed into its overflow flow. */
	__u32 udp_peer_limit;
	/*
	 * 1: user space runs the iterator cnm_tcp_live before every read of tcp_live, which refreshes
	 * it, and sends and receives write nothing; 0: sends and receives refresh tcp_live.
	 */
	__u32 tcp_live_iterator;
};

_Static_assert(sizeof(struct conn_key) == 32, "conn_key layout");
_Static_assert(sizeof(struct conn_stats) == 152, "conn_stats layout");
_Static_assert(sizeof(struct conn_record) == 192, "conn_record layout");
_Static_assert(sizeof(struct cnm_config) == 20, "cnm_config layout");

#endif
