/*
 * Record layouts shared by the BPF programs (cnm_conn.bpf.c) and the Java
 * decoder (io.cnm4j.linux). This is a binary contract: every struct has fixed
 * width fields, explicit padding and no implicit holes; all fields are in host
 * byte order (little endian on x86_64/arm64) unless stated otherwise.
 *
 * Addresses: 16 bytes. IPv4 (family 4) uses bytes 0..3 in network order and
 * bytes 4..15 are zero; IPv6 (family 6) uses all 16 bytes in network order.
 * An IPv4-mapped IPv6 TCP socket (::ffff:a.b.c.d) is reported as family 4.
 * Ports are in host byte order. Times are bpf_ktime_get_ns() (CLOCK_MONOTONIC).
 *
 * struct conn_key (32 bytes), key of map conn_stats and head of every event
 *   off size field
 *     0    8 cookie     socket cookie (bpf_get_socket_cookie / SO_COOKIE)
 *     8   16 raddr      UDP: remote address; TCP: all zero
 *    24    2 rport      UDP: remote port;    TCP: zero
 *    26    1 family     4 or 6
 *    27    1 protocol   6 (TCP) or 17 (UDP)
 *    28    4 pad        zero
 *
 * struct conn_stats (112 bytes), value of map conn_stats
 *   off size field
 *     0   16 laddr
 *    16   16 raddr
 *    32    2 lport
 *    34    2 rport
 *    36    1 family       4 or 6
 *    37    1 protocol     6 or 17
 *    38    1 direction    CNM_DIR_*; 0 when the kernel side cannot tell (always
 *                         for UDP, and for TCP connections that predate the load)
 *    39    1 established  TCP: 1 = reached ESTABLISHED after load, 0 = not seen
 *                         (pre-existing connection, or connect still pending/failed)
 *    40    4 pid          tgid (init pid namespace); 0 until a process context is seen
 *    44    4 netns        network namespace inode (as in /proc/PID/ns/net)
 *    48    8 start_ns     when the entry was created
 *    56    8 last_update_ns
 *    64    8 bytes_sent   application payload (TCP: send() results since the
 *    72    8 bytes_recv   entry exists; UDP: datagram payload)
 *    80    8 packets_sent TCP: tcp_sock segs_out (lifetime); UDP: datagrams
 *    88    8 packets_recv TCP: tcp_sock segs_in  (lifetime); UDP: datagrams
 *    96    4 retransmits  TCP: tcp_sock total_retrans (lifetime, segments)
 *   100    4 srtt_us      TCP: srtt_us >> 3 (tcpi_rtt)
 *   104    4 rttvar_us    TCP: mdev_us >> 2 (tcpi_rttvar)
 *   108    4 pad          zero
 *
 * struct conn_closed_event (152 bytes), record of ring buffer closed_events
 *   off size field
 *     0   32 key
 *    32  112 stats          final counters
 *   144    4 failure_errno  TCP: sk_err at close (104 reset, 110 timed out,
 *                           111 refused, 113/101 unreachable, 125 connect
 *                           cancelled by the application), else 0
 *   148    4 kind           CNM_EVENT_*
 *
 * Telemetry: map telemetry is an ARRAY of CNM_TEL_SLOTS __u64, index CNM_TEL_*.
 */
#ifndef CNM_CONN_H
#define CNM_CONN_H

#include <linux/types.h>

#define CNM_DIR_UNKNOWN 0
#define CNM_DIR_INCOMING 1
#define CNM_DIR_OUTGOING 2

/* TCP socket reached TCP_CLOSE; its conn_stats entry has been deleted. */
#define CNM_EVENT_TCP_CLOSED 1
/* UDP socket released; this is its (first) peer entry, now deleted. */
#define CNM_EVENT_UDP_CLOSED 2
/*
 * UDP socket released after talking to more than one peer: only key.cookie,
 * key.family and key.protocol are set. User space must treat every remaining
 * conn_stats entry with this cookie as closed and delete it.
 */
#define CNM_EVENT_UDP_RELEASED 3

/* conn_stats insert attempt failed (map full or out of memory); counts attempts. */
#define CNM_TEL_CONN_INSERT_FAILED 0
/* closed_events full: a close/failure event was lost. */
#define CNM_TEL_RINGBUF_FULL 1
/* per-socket storage could not be created: PID of UDP traffic may stay 0. */
#define CNM_TEL_SK_STORAGE_FAILED 2
/* UDP packet whose headers could not be parsed (e.g. IPv6 extension headers). */
#define CNM_TEL_UDP_UNPARSED 3
/* TCP entry recreated by a send/recv racing with close; removed at destroy. */
#define CNM_TEL_TCP_LATE_ENTRY 4
#define CNM_TEL_SLOTS 8

#define CNM_CONN_STATS_DEFAULT_ENTRIES 65536
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
	__u32 pad;
};

struct conn_closed_event {
	struct conn_key key;
	struct conn_stats stats;
	__u32 failure_errno;
	__u32 kind;
};

/* Value of the internal sk_storage map sock_info (not read by user space). */
struct sock_info {
	__u32 pid;
	__u32 udp_peers; /* 0, 1, or 2 meaning "more than one" */
	struct conn_key first_udp_key;
};

_Static_assert(sizeof(struct conn_key) == 32, "conn_key layout");
_Static_assert(sizeof(struct conn_stats) == 112, "conn_stats layout");
_Static_assert(sizeof(struct conn_closed_event) == 152, "conn_closed_event layout");
_Static_assert(sizeof(struct sock_info) == 40, "sock_info layout");

#endif
