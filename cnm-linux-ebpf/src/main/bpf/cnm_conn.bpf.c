/*
 * Connection tracking for cnm4j on tracepoints and cgroup hooks (no kprobes,
 * no program per packet; fexit only for sends and receives on kernels before
 * 6.3). Layouts and record semantics: cnm_conn.h.
 *
 * Every tracked socket has a sock_state in socket-local storage, freed by the
 * kernel with the socket.
 *
 * Built with -DCNM_SOCKET_MAP (build.sh: cnm_conn_socket_map.bpf.o) for kernels
 * whose tracing programs lack socket storage (before 5.11) or socket cookies
 * (before 5.12), e.g. 5.10: the sock_state of a socket lives in a hash map
 * keyed by the socket's address, forgotten when the socket is allocated or
 * cloned and deleted when it is destroyed (TCP) or released (UDP), so a reused
 * address never inherits state. The cookie is read from sock_common, where
 * every cookie generator of the kernel stores it: cgroup programs that may
 * call bpf_get_socket_cookie generate it for new sockets (sock_create),
 * accepted ones (sockops, before ESTABLISHED) and those that predate the
 * monitor (the first packet they move, cgroup_skb); a socket without one is
 * not tracked (CNM_TEL_SK_STORAGE_FAILED). Those kernels also lack atomic
 * exchange and fetch-add (5.12): see flag_test_and_set; and 5.8 lacks
 * bpf_skc_to_tcp_sock and bpf_jiffies64 in tracing programs (5.9): see
 * tcp_sock_of and clock_tick, which this build uses on 5.9-5.11 too.
 *
 * TCP: tracking starts at connect (SYN_SENT), at accept (SYN_RECV ->
 * ESTABLISHED) or, for a connection that predates it, at its first send or
 * receive. Byte, segment and retransmit counters are not summed per call:
 * they are derived from the socket's own counters against baselines taken when
 * tracking started, so sendfile, splice, zero-copy receive and data read after
 * the peer closed all count, and peeked or error-queue reads do not. The
 * derived counters are written to tcp_live (read by user space every interval)
 * at every state change and, where user space runs the iterator cnm_tcp_live
 * before every read of tcp_live (cnm_config.tcp_live_iterator), by that
 * iterator, so that a send or receive of a tracked socket only looks up its
 * state; elsewhere at every send and receive. The final record goes through the
 * ring buffer once the application can no longer read from the socket, from
 * whichever of two hooks runs first (the kernel skips a tracing program that is
 * already running on the same CPU, so one hook alone can miss a close).
 *
 * UDP: the sendmsg/recvmsg cgroup hooks see the peer the application named
 * (before NAT) and the send/receive hooks what the call moved, so
 * bytes are what the application sent and received. Each (socket, peer) has an
 * entry in udp_stats, up to udp_peer_limit peers per socket; later peers,
 * peers the hooks cannot see, and peers that find udp_stats full are summed
 * exactly into the socket's overflow flow in udp_overflow.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#ifdef CNM_SOCKET_MAP
#include <bpf/bpf_core_read.h>
#endif

#include "cnm_kernel.h"
#include "cnm_conn.h"

/* GPL-compatible: the kernel refuses BTF tracing programs otherwise. */
char LICENSE[] SEC("license") = "GPL";

#define EEXIST 17

const volatile struct cnm_config cnm_config = {
	.collect_tcp = 1,
	.collect_udp = 1,
	.collect_ipv6 = 1,
	.udp_peer_limit = 1024,
	.tcp_live_iterator = 0,
};

/* Per-socket state; user space never reads it. */
struct sock_state {
	__u64 seq;
	/* TCP: the socket's cookie, the tcp_live key, read once when tracking starts. */
	__u64 cookie;
	/* TCP: jiffies when a send or receive last read the clock for tcp_live.last_update_ns. */
	__u64 clock_jiffies;
	__u64 start_ns;
	__u64 cgroup_id;
	/* TCP baselines: the socket's 64-bit counters when tracking started. */
	__u64 recv_base;
	__u64 acked_base;
	/* TCP: application bytes sent, fixed when the FIN was queued (fin_queued). */
	__u64 sent_final;
	/*
	 * TCP, taken at TCP_CLOSE (closed_snap): the counters and tcp_sock.bytes_received then.
	 * tcp_disconnect (connect failure, SO_LINGER 0, shutdown of a connecting socket) resets the
	 * socket's counters and tuple afterwards; the snapshot keeps the real ones.
	 */
	struct conn_stats snap;
	__u64 snap_bytes_received;
	__u32 pid;
	/* TCP baselines: sequence numbers and 32-bit counters when tracking started. */
	__u32 copied_base;
	__u32 write_base;
	__u32 segs_in_base;
	__u32 segs_out_base;
	__u32 retrans_base;
	__u32 failure_errno;
	/* TCP: 1 once the closed record was submitted; set with an atomic exchange. */
	__u64 emitted;
	/* UDP: 1 once the socket was reported for summing peers into its overflow flow. */
	__u64 overflow_reported;
	__u8 direction;
	__u8 established;
	__u8 fin_queued;
	/* TCP: tcp_live had no room; the connection is reported when it closes. */
	__u8 live_missing;
	__u8 closed_snap;
	__u8 pad3[7];
	/* UDP: entries this socket created in udp_stats. */
	__u64 udp_peers;
	/* UDP: local port, for records made where the socket is not at hand. */
	__u16 lport;
	__u16 pad1;
	__u32 pad2;
	/* UDP: network namespace inode, for records made where the socket is not at hand. */
	__u32 netns;
	struct conn_key first_peer;
	char comm[16];
};

#ifdef CNM_SOCKET_MAP
/* By socket address; user space sizes it (every tracked TCP socket and UDP socket). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 2 * CNM_TCP_LIVE_DEFAULT_ENTRIES);
	__type(key, __u64);
	__type(value, struct sock_state);
} sock_state SEC(".maps");

/* Never written: the zeroed value a new sock_state starts from (too large for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sock_state);
} sock_state_zero SEC(".maps");
#else
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sock_state);
} sock_state SEC(".maps");
#endif

/* Live TCP connections by socket cookie. Not LRU: a full map must fail inserts, to be counted. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CNM_TCP_LIVE_DEFAULT_ENTRIES);
	__type(key, __u64);
	__type(value, struct conn_stats);
} tcp_live SEC(".maps");

/*
 * The number of the iterator pass user space runs next. The iterator stamps every live entry whose
 * socket it walks; an entry left with an older number has no socket any more, so its close was
 * never reported (see EbpfBackend).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} live_pass SEC(".maps");

/* Not LRU: an insert into a full map must fail, so that the datagram goes to the overflow flow. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CNM_UDP_STATS_DEFAULT_ENTRIES);
	__type(key, struct conn_key);
	__type(value, struct conn_stats);
} udp_stats SEC(".maps");

/* Overflow flow of each UDP socket that has one, by socket cookie. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CNM_UDP_OVERFLOW_ENTRIES);
	__type(key, __u64);
	__type(value, struct conn_stats);
} udp_overflow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CNM_CLOSED_EVENTS_BYTES);
} closed_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, CNM_TEL_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} telemetry SEC(".maps");

/*
 * The peer a UDP send or receive names, by thread (bpf_get_current_pid_tgid): set by the
 * sendmsg or recvmsg hook, consumed by the length hook of the same call.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct conn_key);
} udp_pending_peer SEC(".maps");

/* Records are built here: 184 bytes do not fit next to the other locals on the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct conn_record);
} record_scratch SEC(".maps");

/*
 * Waking the reader for every close costs a context switch per connection under a storm; the
 * reader drains on a short timer instead, and is woken early only once the ring is a quarter full.
 */
static __always_inline __u64 wakeup_flags(void)
{
	if (bpf_ringbuf_query(&closed_events, BPF_RB_AVAIL_DATA) > CNM_CLOSED_EVENTS_BYTES / 4)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline __u64 *telemetry_slot(__u32 slot)
{
	return bpf_map_lookup_elem(&telemetry, &slot);
}

static __always_inline void telemetry_add(__u32 slot, __u64 value)
{
	__u64 *count = telemetry_slot(slot);

	if (count)
		__sync_fetch_and_add(count, value);
}

static __always_inline __u32 sock_netns(const struct sock *sk)
{
	return sk->__sk_common.skc_net.net->ns.inum;
}

/* An AF_INET6 socket talking to ::ffff:a.b.c.d is an IPv4 connection. */
static __always_inline bool sock_is_v4(const struct sock *sk)
{
	const struct in6_addr *d = &sk->__sk_common.skc_v6_daddr;

	if (sk->__sk_common.skc_family == AF_INET)
		return true;
	return d->in6_u.u6_addr32[0] == 0 && d->in6_u.u6_addr32[1] == 0 &&
	       d->in6_u.u6_addr32[2] == bpf_htonl(0xffff);
}

static __always_inline bool family_collected(bool v4)
{
	return v4 || cnm_config.collect_ipv6;
}

static __always_inline void set_owner(struct sock_state *st)
{
	bpf_get_current_comm(st->comm, sizeof(st->comm));
	st->cgroup_id = bpf_get_current_cgroup_id();
	st->pid = bpf_get_current_pid_tgid() >> 32;
}

/* The socket's cookie, as SO_COOKIE and sock_diag report it; 0 when none was generated yet. */
static __always_inline __u64 sock_cookie(void *sk)
{
#ifdef CNM_SOCKET_MAP
	/* sock_gen_cookie stores it here; once set it never changes. */
	return ((struct sock *)sk)->__sk_common.skc_cookie.counter;
#else
	return bpf_get_socket_cookie(sk);
#endif
}

/*
 * Sets *flag to 1 and returns what it was. Before 5.12 BPF has no atomic exchange: a plain
 * read and write, which the callers' hooks make safe for TCP (they run with the socket locked)
 * and at worst doubles a UDP peer-limit report.
 */
static __always_inline __u64 flag_test_and_set(__u64 *flag)
{
#ifdef CNM_SOCKET_MAP
	__u64 was = *flag;

	*flag = 1;
	return was;
#else
	return __sync_lock_test_and_set(flag, 1);
#endif
}

/* Adds one and returns the old value; before 5.12 (no fetch-add) two concurrent adds may see the same. */
static __always_inline __u64 fetch_increment(__u64 *counter)
{
#ifdef CNM_SOCKET_MAP
	__sync_fetch_and_add(counter, 1);
	return *counter - 1;
#else
	return __sync_fetch_and_add(counter, 1);
#endif
}

static __always_inline struct sock_state *state_of(void *sk)
{
#ifdef CNM_SOCKET_MAP
	__u64 key = (__u64)sk;

	return bpf_map_lookup_elem(&sock_state, &key);
#else
	return bpf_sk_storage_get(&sock_state, sk, 0, 0);
#endif
}

static __always_inline struct sock_state *state_create(void *sk)
{
#ifdef CNM_SOCKET_MAP
	__u64 key = (__u64)sk;
	__u32 zero = 0;
	struct sock_state *st = bpf_map_lookup_elem(&sock_state, &key);
	struct sock_state *empty;

	if (!st && sock_cookie(sk)) {
		empty = bpf_map_lookup_elem(&sock_state_zero, &zero);
		if (empty)
			bpf_map_update_elem(&sock_state, &key, empty, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&sock_state, &key);
	}
#else
	struct sock_state *st = bpf_sk_storage_get(&sock_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
#endif
	if (!st)
		telemetry_add(CNM_TEL_SK_STORAGE_FAILED, 1);
	return st;
}

/* The socket is gone or new: its address may be reused, never its state. */
static __always_inline void state_forget(void *sk)
{
#ifdef CNM_SOCKET_MAP
	__u64 key = (__u64)sk;

	bpf_map_delete_elem(&sock_state, &key);
#endif
}

/* ---------------------------------------------------------------- TCP */

/*
 * The socket as a tcp_sock whose fields may be read; NULL when it is not a full TCP socket.
 * Tracing programs may call bpf_skc_to_tcp_sock since 5.9; before, the same checks, then the
 * fields are copied into *copy with probe reads (cnm_kernel.h).
 */
static __always_inline struct tcp_sock *tcp_sock_of(void *sk, struct tcp_sock *copy)
{
#ifdef CNM_SOCKET_MAP
	const struct sock *s = sk;
	const struct tcp_sock___kernel *tp = sk;
	unsigned char state = s->__sk_common.skc_state;

	if (s->sk_protocol != IPPROTO_TCP || s->sk_type != SOCK_STREAM || state == TCP_TIME_WAIT ||
	    state == TCP_NEW_SYN_RECV)
		return NULL;
	BPF_CORE_READ_INTO(&copy->inet_conn.icsk_inet.inet_sport, tp, inet_conn.icsk_inet.inet_sport);
	BPF_CORE_READ_INTO(&copy->segs_in, tp, segs_in);
	BPF_CORE_READ_INTO(&copy->segs_out, tp, segs_out);
	BPF_CORE_READ_INTO(&copy->total_retrans, tp, total_retrans);
	BPF_CORE_READ_INTO(&copy->srtt_us, tp, srtt_us);
	BPF_CORE_READ_INTO(&copy->mdev_us, tp, mdev_us);
	BPF_CORE_READ_INTO(&copy->rcv_nxt, tp, rcv_nxt);
	BPF_CORE_READ_INTO(&copy->copied_seq, tp, copied_seq);
	BPF_CORE_READ_INTO(&copy->snd_una, tp, snd_una);
	BPF_CORE_READ_INTO(&copy->write_seq, tp, write_seq);
	BPF_CORE_READ_INTO(&copy->bytes_received, tp, bytes_received);
	BPF_CORE_READ_INTO(&copy->bytes_acked, tp, bytes_acked);
	return copy;
#else
	return bpf_skc_to_tcp_sock(sk);
#endif
}

/*
 * What a send or receive compares with st->clock_jiffies: last_update_ns reads the clock once per
 * jiffy. Tracing programs may call bpf_jiffies64 since 5.9; before, the clock itself, so that
 * every send and receive reads it.
 */
static __always_inline __u64 clock_tick(void)
{
#ifdef CNM_SOCKET_MAP
	return bpf_ktime_get_ns();
#else
	return bpf_jiffies64();
#endif
}

/*
 * The value whose low 32 bits are low and which lies within 2^31 of approx: sequence numbers
 * give exact low bits, the socket's 64-bit counters the rest (they are read without the
 * socket lock, so they may be off by what arrives during the read, far less than 2^31).
 */
static __always_inline __u64 widen(__s64 approx, __u32 low)
{
	__s64 exact = approx + (__s32)(low - (__u32)approx);

	return exact < 0 ? 0 : exact;
}

/* Bytes the application consumed since tracking started (recv, splice, zero-copy receive...). */
static __always_inline __u64 tcp_app_received(const struct sock *sk, const struct tcp_sock *tp,
					      const struct sock_state *st)
{
	/* SOCK_DONE: the FIN arrived; it takes one sequence number, and reading EOF consumes it. */
	__u32 fin = (sk->__sk_common.skc_flags >> SOCK_DONE) & 1;
	__u64 received = tp->bytes_received;
	__u32 rcv_nxt = tp->rcv_nxt;
	__u32 copied = tp->copied_seq;
	__s32 unread = (rcv_nxt - fin) - copied;
	__u32 low = copied - st->copied_base;

	if (unread < 0)
		unread = 0;
	if (fin && copied == rcv_nxt)
		low -= 1;
	return widen((__s64)(received - fin - st->recv_base) - unread, low);
}

/* Bytes the application handed to the socket since tracking started (send, sendfile, splice...). */
static __always_inline __u64 tcp_app_sent(const struct tcp_sock *tp, const struct sock_state *st)
{
	__u64 acked = tp->bytes_acked;
	__u32 write_seq = tp->write_seq;
	__s32 queued = write_seq - tp->snd_una;

	if (st->fin_queued)
		return st->sent_final;
	if (queued < 0)
		queued = 0;
	return widen((__s64)(acked - st->acked_base) + queued, write_seq - st->write_base);
}

/*
 * Baselines so that the counters read zero now, less what the call that started tracking
 * already moved (sent or received bytes of a connection that predates tracking).
 */
static __always_inline void tcp_set_baselines(const struct sock *sk, const struct tcp_sock *tp,
					      struct sock_state *st, __u32 sent_now, __u32 received_now)
{
	__u32 fin = (sk->__sk_common.skc_flags >> SOCK_DONE) & 1;
	__s32 unread = (tp->rcv_nxt - fin) - tp->copied_seq;
	__s32 queued = tp->write_seq - tp->snd_una;

	if (unread < 0)
		unread = 0;
	if (queued < 0)
		queued = 0;
	st->copied_base = tp->copied_seq - received_now;
	st->recv_base = tp->bytes_received - fin - unread - received_now;
	st->write_base = tp->write_seq - sent_now;
	st->acked_base = tp->bytes_acked + queued - sent_now;
}

static __always_inline __u64 next_tcp_seq(void)
{
	__u64 *tracked = telemetry_slot(CNM_TEL_TCP_TRACKED);

	return tracked ? fetch_increment(tracked) + 1 : 0;
}

static __always_inline struct conn_record *record_scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&record_scratch, &zero);
}

/* What changes while a connection lives: counters, RTT and the port connect() picks late. */
static __always_inline void tcp_counters(const struct sock *sk, const struct tcp_sock *tp,
					 const struct sock_state *st, struct conn_stats *s)
{
	/* connect() enters SYN_SENT before it picks the port, and TCP_CLOSE releases it. */
	if (!s->lport)
		s->lport = bpf_ntohs(tp->inet_conn.icsk_inet.inet_sport);
	/* Before ESTABLISHED nothing was moved, and the baselines are not taken yet. */
	if (st->established || st->direction == CNM_DIR_UNKNOWN) {
		s->bytes_sent = tcp_app_sent(tp, st);
		s->bytes_recv = tcp_app_received(sk, tp, st);
	}
	s->packets_sent = (__u32)(tp->segs_out - st->segs_out_base);
	s->packets_recv = (__u32)(tp->segs_in - st->segs_in_base);
	s->retransmits = tp->total_retrans - st->retrans_base;
	s->srtt_us = tp->srtt_us >> 3;
	s->rttvar_us = tp->mdev_us >> 2;
}

static __always_inline void tcp_fill(const struct sock *sk, const struct sock_state *st,
				     struct conn_stats *s, __u64 now)
{
	struct tcp_sock copy;
	struct tcp_sock *tp = tcp_sock_of((void *)sk, &copy);
	bool v4 = sock_is_v4(sk);

	if (v4) {
		__builtin_memcpy(s->laddr, &sk->__sk_common.skc_rcv_saddr, 4);
		__builtin_memcpy(s->raddr, &sk->__sk_common.skc_daddr, 4);
	} else {
		__builtin_memcpy(s->laddr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		__builtin_memcpy(s->raddr, &sk->__sk_common.skc_v6_daddr, 16);
	}
	s->lport = sk->__sk_common.skc_num;
	s->rport = bpf_ntohs(sk->__sk_common.skc_dport);
	s->family = v4 ? 4 : 6;
	s->protocol = IPPROTO_TCP;
	s->direction = st->direction;
	s->established = st->established;
	s->pid = st->pid;
	s->netns = sock_netns(sk);
	s->start_ns = st->start_ns;
	s->last_update_ns = now;
	s->failure_errno = st->failure_errno;
	s->cgroup_id = st->cgroup_id;
	s->seq = st->seq;
	__builtin_memcpy(s->comm, st->comm, sizeof(s->comm));
	if (!tp)
		return;
	if (st->closed_snap) {
		bool reset = tp->bytes_received < st->snap_bytes_received;

		/* Only reading can go on after TCP_CLOSE, unless a disconnect reset the socket. */
		__builtin_memcpy(s->laddr, st->snap.laddr, 16);
		__builtin_memcpy(s->raddr, st->snap.raddr, 16);
		s->lport = st->snap.lport;
		s->rport = st->snap.rport;
		s->bytes_sent = st->snap.bytes_sent;
		s->bytes_recv = reset ? st->snap.bytes_recv : tcp_app_received(sk, tp, st);
		s->packets_sent = st->snap.packets_sent;
		s->packets_recv = st->snap.packets_recv;
		s->retransmits = st->snap.retransmits;
		s->srtt_us = st->snap.srtt_us;
		s->rttvar_us = st->snap.rttvar_us;
		return;
	}
	tcp_counters(sk, tp, st, s);
}

/* Fixes the counters and tuple at TCP_CLOSE, before a disconnect can reset them. */
static __always_inline void tcp_snapshot(const struct sock *sk, struct sock_state *st)
{
	struct tcp_sock copy;
	struct tcp_sock *tp = tcp_sock_of((void *)sk, &copy);

	if (!tp)
		return;
	tcp_fill(sk, st, &st->snap, bpf_ktime_get_ns());
	st->snap_bytes_received = tp->bytes_received;
	st->closed_snap = 1;
}

static __always_inline __u32 current_live_pass(void)
{
	__u32 zero = 0;
	__u32 *pass = bpf_map_lookup_elem(&live_pass, &zero);

	return pass ? *pass : 0;
}

static __always_inline void tcp_start_tracking(const struct sock *sk, struct sock_state *st,
					       __u8 direction, __u64 now)
{
	struct conn_record *rec = record_scratch_get();

	st->seq = next_tcp_seq();
	st->cookie = sock_cookie((void *)sk);
	st->start_ns = now;
	st->direction = direction;
	if (!rec)
		return;
	__builtin_memset(&rec->stats, 0, sizeof(rec->stats));
	tcp_fill(sk, st, &rec->stats, now);
	rec->stats.live_pass = current_live_pass();
	if (bpf_map_update_elem(&tcp_live, &st->cookie, &rec->stats, BPF_ANY)) {
		st->live_missing = 1;
		telemetry_add(CNM_TEL_TCP_LIVE_FULL, 1);
	}
}

/* Writes the connection's current counters to tcp_live. */
static __always_inline void tcp_push(const struct sock *sk, const struct sock_state *st, __u64 now)
{
	struct conn_stats *e;

	if (st->live_missing)
		return;
	e = bpf_map_lookup_elem(&tcp_live, &st->cookie);
	if (e)
		tcp_fill(sk, st, e, now);
}

/*
 * The hot path of sends and receives: only what changes goes to the live entry; the owner of an
 * accepted connection the first time a process uses it. Closed sockets take the full path.
 * Reading the clock costs more than the rest of the refresh: last_update_ns reads it once per
 * jiffy, so it is the time of the first send or receive in the jiffy of the last one.
 */
static __always_inline void tcp_refresh(struct sock *sk, struct sock_state *st)
{
	struct tcp_sock copy, *tp;
	struct conn_stats *e;
	__u64 jiffies;

	/* The iterator refreshes the live entry at the read; here only the owner can be learned. */
	if (cnm_config.tcp_live_iterator) {
		if (!st->pid)
			set_owner(st);
		return;
	}
	if (!st->pid || st->closed_snap) {
		if (!st->pid)
			set_owner(st);
		tcp_push(sk, st, bpf_ktime_get_ns());
		return;
	}
	if (st->live_missing)
		return;
	tp = tcp_sock_of(sk, &copy);
	e = bpf_map_lookup_elem(&tcp_live, &st->cookie);
	if (!tp || !e)
		return;
	tcp_counters(sk, tp, st, e);
	jiffies = clock_tick();
	if (jiffies != st->clock_jiffies) {
		st->clock_jiffies = jiffies;
		e->last_update_ns = bpf_ktime_get_ns();
	}
}

/* Submits the final record once, whichever hook gets here first, and ends the live entry. */
static __always_inline void tcp_emit_closed(const struct sock *sk, struct sock_state *st)
{
	__u64 cookie = sock_cookie((void *)sk);
	struct conn_record *rec;

	if (flag_test_and_set(&st->emitted))
		return;
	rec = bpf_ringbuf_reserve(&closed_events, sizeof(*rec), 0);
	if (rec) {
		__builtin_memset(rec, 0, sizeof(*rec));
		rec->key.cookie = cookie;
		rec->key.family = sock_is_v4(sk) ? 4 : 6;
		rec->key.protocol = IPPROTO_TCP;
		rec->kind = CNM_RECORD_TCP_CLOSED;
		tcp_fill(sk, st, &rec->stats, bpf_ktime_get_ns());
		bpf_ringbuf_submit(rec, wakeup_flags());
		telemetry_add(CNM_TEL_TCP_CLOSES_SUBMITTED, 1);
	} else {
		telemetry_add(CNM_TEL_RINGBUF_FULL, 1);
	}
	bpf_map_delete_elem(&tcp_live, &cookie);
}

static __always_inline __u32 tcp_failure(const struct sock *sk, int oldstate)
{
	struct tcp_sock copy, *tp;
	__u32 err = sk->sk_err;

	if (err || oldstate != TCP_SYN_SENT)
		return err;
	/* connect() found no free local port for this destination. */
	tp = tcp_sock_of((void *)sk, &copy);
	if (tp && !sk->__sk_common.skc_num && !tp->inet_conn.icsk_inet.inet_sport)
		return EADDRNOTAVAIL;
	/* The application closed the socket before the handshake completed. */
	return ECANCELED;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(cnm_tcp_state, struct sock *sk, int oldstate, int newstate)
{
	struct sock_state *st;
	struct tcp_sock copy, *tp;
	__u64 now;

	if (!cnm_config.collect_tcp || !sk || sk->sk_protocol != IPPROTO_TCP)
		return 0;
	if (!family_collected(sock_is_v4(sk)))
		return 0;
	switch (newstate) {
	case TCP_SYN_SENT:
		st = state_create(sk);
		if (!st)
			return 0;
		/* A socket may connect again after a failed attempt: that attempt has ended. */
		if (st->seq)
			tcp_emit_closed(sk, st);
		__builtin_memset(st, 0, sizeof(*st));
		/* connect() makes this transition in the caller's context. */
		set_owner(st);
		tcp_start_tracking(sk, st, CNM_DIR_OUTGOING, bpf_ktime_get_ns());
		return 0;
	case TCP_ESTABLISHED:
		if (oldstate != TCP_SYN_SENT && oldstate != TCP_SYN_RECV)
			return 0;
		st = state_create(sk);
		tp = tcp_sock_of(sk, &copy);
		if (!st || !tp)
			return 0;
		now = bpf_ktime_get_ns();
		tcp_set_baselines(sk, tp, st, 0, 0);
		st->established = 1;
		/* An accepted connection starts here, in softirq: its process is named by its first call. */
		if (!st->seq)
			tcp_start_tracking(sk, st, oldstate == TCP_SYN_SENT ? CNM_DIR_OUTGOING : CNM_DIR_INCOMING, now);
		else
			tcp_push(sk, st, now);
		return 0;
	case TCP_FIN_WAIT1:
	case TCP_LAST_ACK:
		/* Runs before the FIN takes its sequence number: what was written is final now. */
		st = state_of(sk);
		tp = tcp_sock_of(sk, &copy);
		if (st && st->seq && tp && !st->fin_queued) {
			st->sent_final = tcp_app_sent(tp, st);
			st->fin_queued = 1;
			tcp_push(sk, st, bpf_ktime_get_ns());
		}
		return 0;
	case TCP_CLOSE:
		st = state_of(sk);
		if (!st || !st->seq || st->emitted)
			return 0;
		if (!st->failure_errno)
			st->failure_errno = tcp_failure(sk, oldstate);
		tcp_snapshot(sk, st);
		/*
		 * An orphan cannot be read any more: report it now. A socket the application still
		 * holds (e.g. closed by the peer after a half-close) may still be read; it is
		 * reported when destroyed.
		 */
		if ((sk->__sk_common.skc_flags >> SOCK_DEAD) & 1)
			tcp_emit_closed(sk, st);
		else
			tcp_push(sk, st, bpf_ktime_get_ns());
		return 0;
	}
	return 0;
}

/* Every full TCP socket passes here when it is destroyed: the last chance to report it. */
SEC("tp_btf/tcp_destroy_sock")
int BPF_PROG(cnm_tcp_destroy, struct sock *sk)
{
	struct sock_state *st;

	if (!cnm_config.collect_tcp || !sk)
		return 0;
	st = state_of(sk);
	if (st && st->seq)
		tcp_emit_closed(sk, st);
	state_forget(sk);
	return 0;
}

#ifndef CNM_SOCKET_MAP
/* When the socket last sent or received a segment (tcp_mstamp: CLOCK_MONOTONIC in us), or the start. */
static __always_inline __u64 tcp_last_activity(const struct tcp_sock *tp, const struct sock_state *st)
{
	__u64 at = tp->tcp_mstamp * 1000;

	return at > st->start_ns ? at : st->start_ns;
}

/*
 * Run by user space over sock_state before every read of tcp_live: refreshes the live entry of
 * every tracked connection from its socket. It writes no output, so one read() walks every
 * element, unless the kernel pauses the pass after a million: the walk then resumes by position
 * within a bucket, and a socket destroyed meanwhile may make it skip another one, whose entry
 * keeps its previous counters until the next read (its closed record is exact either way).
 */
SEC("iter/bpf_sk_storage_map")
int cnm_tcp_live(struct bpf_iter__bpf_sk_storage_map *ctx)
{
	struct sock *sk = ctx->sk;
	struct sock_state *st = ctx->value;
	struct conn_stats *e;
	struct tcp_sock *tp;
	__u64 cookie;

	if (!sk || !st || sk->sk_protocol != IPPROTO_TCP)
		return 0;
	if (!st->seq || st->emitted || st->live_missing)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	/* 6.1's verifier refuses a map key in the iterator's value buffer: it goes through the stack. */
	cookie = st->cookie;
	e = bpf_map_lookup_elem(&tcp_live, &cookie);
	if (tp && e) {
		tcp_fill(sk, st, e, tcp_last_activity(tp, st));
		e->live_pass = current_live_pass();
	}
	return 0;
}
#endif

/*
 * A send or receive refreshes the live counters, names the process of an accepted connection,
 * and starts tracking a connection that predates tracking.
 */
static __always_inline void tcp_io(struct sock *sk, int ret, int flags, bool recv)
{
	struct sock_state *st = state_of(sk);
	unsigned char state;
	struct tcp_sock copy, *tp;
	__u32 moved;

	if (st && st->seq) {
		if (!st->emitted)
			tcp_refresh(sk, st);
		return;
	}
	if (ret <= 0 || !family_collected(sock_is_v4(sk)))
		return;
	state = sk->__sk_common.skc_state;
	if (state == TCP_CLOSE || state == TCP_LISTEN || state == TCP_SYN_SENT)
		return;
	tp = tcp_sock_of(sk, &copy);
	if (!tp)
		return;
	st = state_create(sk);
	if (!st || st->seq)
		return;
	set_owner(st);
	st->segs_in_base = tp->segs_in;
	st->segs_out_base = tp->segs_out;
	st->retrans_base = tp->total_retrans;
	/* What this call moved counts: tracking starts just before it. */
	moved = recv && (flags & (MSG_PEEK | MSG_ERRQUEUE)) ? 0 : ret;
	tcp_set_baselines(sk, tp, st, recv ? 0 : moved, recv ? moved : 0);
	tcp_start_tracking(sk, st, CNM_DIR_UNKNOWN, bpf_ktime_get_ns());
}

/* ---------------------------------------------------------------- UDP */

/* The peer of a call on a connected socket, in key form; false when it is not connected. */
static __always_inline bool udp_connected_peer(const struct sock *sk, struct conn_key *peer)
{
	__be16 dport = sk->__sk_common.skc_dport;

	if (!dport)
		return false;
	if (sock_is_v4(sk)) {
		if (sk->__sk_common.skc_family == AF_INET)
			__builtin_memcpy(peer->raddr, &sk->__sk_common.skc_daddr, 4);
		else
			__builtin_memcpy(peer->raddr, &sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[3], 4);
		peer->family = 4;
	} else {
		__builtin_memcpy(peer->raddr, &sk->__sk_common.skc_v6_daddr, 16);
		peer->family = 6;
	}
	peer->rport = bpf_ntohs(dport);
	return true;
}

static __always_inline void udp_local(const struct sock *sk, __u8 family, struct conn_stats *s)
{
	if (family == 4) {
		if (sk->__sk_common.skc_family == AF_INET)
			__builtin_memcpy(s->laddr, &sk->__sk_common.skc_rcv_saddr, 4);
		else
			__builtin_memcpy(s->laddr, &sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32[3], 4);
	} else {
		__builtin_memcpy(s->laddr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
	}
	s->lport = sk->__sk_common.skc_num;
}

static __always_inline void udp_report_offender(struct sock *sk, const struct sock_state *st,
						__u32 reason)
{
	struct conn_record *rec = bpf_ringbuf_reserve(&closed_events, sizeof(*rec), 0);

	if (!rec) {
		telemetry_add(CNM_TEL_RINGBUF_FULL, 1);
		return;
	}
	__builtin_memset(rec, 0, sizeof(*rec));
	rec->key.cookie = sock_cookie(sk);
	rec->key.protocol = IPPROTO_UDP;
	rec->kind = CNM_RECORD_UDP_PEER_LIMIT;
	rec->stats.pid = st->pid;
	rec->stats.cgroup_id = st->cgroup_id;
	rec->stats.netns = st->netns;
	rec->stats.lport = st->lport;
	rec->stats.failure_errno = reason;
	__builtin_memcpy(rec->stats.comm, st->comm, sizeof(rec->stats.comm));
	bpf_ringbuf_submit(rec, wakeup_flags());
}

/* Sums a datagram into the socket's overflow flow, so that the socket's totals stay exact. */
static __always_inline void udp_count_overflow(struct sock *sk, struct sock_state *st, __u32 bytes,
					       bool recv, __u32 reason, __u64 now)
{
	__u64 cookie = sock_cookie(sk);
	struct conn_stats *e = bpf_map_lookup_elem(&udp_overflow, &cookie);

	telemetry_add(reason, 1);
	if (!e) {
		struct conn_stats init = {};
		bool v4 = sock_is_v4(sk);

		udp_local(sk, v4 ? 4 : 6, &init);
		init.family = v4 ? 4 : 6;
		init.protocol = IPPROTO_UDP;
		init.direction = recv ? CNM_DIR_INCOMING : CNM_DIR_OUTGOING;
		init.pid = st->pid;
		init.netns = st->netns;
		init.start_ns = now;
		init.cgroup_id = st->cgroup_id;
		__builtin_memcpy(init.comm, st->comm, sizeof(init.comm));
		bpf_map_update_elem(&udp_overflow, &cookie, &init, BPF_NOEXIST);
		e = bpf_map_lookup_elem(&udp_overflow, &cookie);
		if (!e) {
			telemetry_add(CNM_TEL_UDP_LOST, 1);
			return;
		}
	}
	if (recv) {
		__sync_fetch_and_add(&e->bytes_recv, bytes);
		__sync_fetch_and_add(&e->packets_recv, 1);
	} else {
		__sync_fetch_and_add(&e->bytes_sent, bytes);
		__sync_fetch_and_add(&e->packets_sent, 1);
	}
	e->last_update_ns = now;
	if (reason != CNM_TEL_UDP_PEER_UNKNOWN && !flag_test_and_set(&st->overflow_reported))
		udp_report_offender(sk, st, reason);
}

static __always_inline void udp_io(struct sock *sk, int ret, int flags, bool recv)
{
	struct conn_stats *e;
	struct sock_state *st;
	struct conn_key key = {};
	__u64 task = bpf_get_current_pid_tgid();
	struct conn_key *named;
	bool pending, known;
	__u64 now;

	/* Peeked datagrams are read again; the error queue holds no payload. */
	if (recv && (flags & (MSG_PEEK | MSG_ERRQUEUE)))
		return;
	named = bpf_map_lookup_elem(&udp_pending_peer, &task);
	pending = named && named->family;
	if (pending) {
		key = *named;
		bpf_map_delete_elem(&udp_pending_peer, &task);
	}
	if (ret < 0)
		return;
	st = state_create(sk);
	if (!st)
		return;
	if (!st->pid)
		set_owner(st);
	now = bpf_ktime_get_ns();
	if (!st->start_ns) {
		st->start_ns = now;
		st->netns = sock_netns(sk);
	}
	st->lport = sk->__sk_common.skc_num;
	known = pending || udp_connected_peer(sk, &key);
	/*
	 * recv() without an address on an unconnected socket shows no peer to any hook: a socket
	 * that talks to a single peer (the usual client: sendto, then recv) received from it.
	 */
	if (!known && recv && st->udp_peers == 1) {
		key = st->first_peer;
		known = true;
	}
	if (!family_collected(known ? key.family == 4 : sock_is_v4(sk)))
		return;
	if (!known) {
		udp_count_overflow(sk, st, ret, recv, CNM_TEL_UDP_PEER_UNKNOWN, now);
		return;
	}
	key.cookie = sock_cookie(sk);
	key.protocol = IPPROTO_UDP;
	e = bpf_map_lookup_elem(&udp_stats, &key);
	if (!e) {
		struct conn_stats init = {};
		long err;

		if (st->udp_peers >= cnm_config.udp_peer_limit) {
			udp_count_overflow(sk, st, ret, recv, CNM_TEL_UDP_PEER_LIMIT, now);
			return;
		}
		udp_local(sk, key.family, &init);
		__builtin_memcpy(init.raddr, key.raddr, 16);
		init.rport = key.rport;
		init.family = key.family;
		init.protocol = IPPROTO_UDP;
		/* UDP has no handshake: whoever moves the first datagram opened the flow. */
		init.direction = recv ? CNM_DIR_INCOMING : CNM_DIR_OUTGOING;
		init.pid = st->pid;
		init.netns = sock_netns(sk);
		init.start_ns = now;
		init.cgroup_id = st->cgroup_id;
		__builtin_memcpy(init.comm, st->comm, sizeof(init.comm));
		err = bpf_map_update_elem(&udp_stats, &key, &init, BPF_NOEXIST);
		if (err && err != -EEXIST) {
			udp_count_overflow(sk, st, ret, recv, CNM_TEL_UDP_MAP_FULL, now);
			return;
		}
		if (!err && fetch_increment(&st->udp_peers) == 0)
			st->first_peer = key;
		e = bpf_map_lookup_elem(&udp_stats, &key);
		if (!e)
			return;
	}
	if (recv) {
		__sync_fetch_and_add(&e->bytes_recv, ret);
		__sync_fetch_and_add(&e->packets_recv, 1);
	} else {
		__sync_fetch_and_add(&e->bytes_sent, ret);
		__sync_fetch_and_add(&e->packets_sent, 1);
	}
	e->last_update_ns = now;
}

static __always_inline void sock_io(struct sock *sk, int ret, int flags, bool recv)
{
	unsigned short family;

	if (!sk)
		return;
	family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;
	if (sk->sk_protocol == IPPROTO_TCP) {
		if (cnm_config.collect_tcp)
			tcp_io(sk, ret, flags, recv);
	} else if (sk->sk_protocol == IPPROTO_UDP) {
		if (cnm_config.collect_udp)
			udp_io(sk, ret, flags, recv);
	}
}

#ifndef CNM_SOCKET_MAP
/*
 * Two variants of the send and receive hooks; user space loads one (bpf_program__set_autoload).
 * Linux 6.3+: the sock_send_length/sock_recv_length tracepoints in sock_sendmsg/sock_recvmsg.
 */
SEC("tp_btf/sock_send_length")
int BPF_PROG(cnm_sock_send, struct sock *sk, int ret, int flags)
{
	sock_io(sk, ret, flags, false);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(cnm_sock_recv, struct sock *sk, int ret, int flags)
{
	sock_io(sk, ret, flags, true);
	return 0;
}
#endif

/*
 * Before 6.3: fexit of the AF_INET and AF_INET6 sendmsg/recvmsg, which sock_sendmsg and
 * sock_recvmsg call for every TCP and UDP socket at the same point, with the same return value
 * and flags the tracepoints report.
 */
SEC("fexit/inet_sendmsg")
int BPF_PROG(cnm_inet_sendmsg, struct socket *sock, void *msg, __u64 size, int ret)
{
	sock_io(sock->sk, ret, 0, false);
	return 0;
}

SEC("fexit/inet6_sendmsg")
int BPF_PROG(cnm_inet6_sendmsg, struct socket *sock, void *msg, __u64 size, int ret)
{
	sock_io(sock->sk, ret, 0, false);
	return 0;
}

SEC("fexit/inet_recvmsg")
int BPF_PROG(cnm_inet_recvmsg, struct socket *sock, void *msg, __u64 size, int flags, int ret)
{
	sock_io(sock->sk, ret, flags, true);
	return 0;
}

SEC("fexit/inet6_recvmsg")
int BPF_PROG(cnm_inet6_recvmsg, struct socket *sock, void *msg, __u64 size, int flags, int ret)
{
	sock_io(sock->sk, ret, flags, true);
	return 0;
}

/*
 * sendmsg with an address on an unconnected socket shows the peer as the application names it
 * (before NAT), recvmsg asking for the sender's address the peer as the application sees it (NAT
 * undone); the length hook of the same call (same thread, next) consumes it.
 */
static __always_inline int udp_name_peer(struct bpf_sock_addr *ctx, bool v6)
{
	__u64 task = bpf_get_current_pid_tgid();
	struct conn_key peer = {};

	if (!cnm_config.collect_udp || ctx->protocol != IPPROTO_UDP || !ctx->sk)
		return 1;
	if (!v6) {
		__u32 addr = ctx->user_ip4;

		__builtin_memcpy(peer.raddr, &addr, 4);
		peer.family = 4;
	} else if (ctx->user_ip6[0] == 0 && ctx->user_ip6[1] == 0 &&
		   ctx->user_ip6[2] == bpf_htonl(0xffff)) {
		__u32 addr = ctx->user_ip6[3];

		__builtin_memcpy(peer.raddr, &addr, 4);
		peer.family = 4;
	} else {
		__u32 a0 = ctx->user_ip6[0], a1 = ctx->user_ip6[1];
		__u32 a2 = ctx->user_ip6[2], a3 = ctx->user_ip6[3];

		__builtin_memcpy(&peer.raddr[0], &a0, 4);
		__builtin_memcpy(&peer.raddr[4], &a1, 4);
		__builtin_memcpy(&peer.raddr[8], &a2, 4);
		__builtin_memcpy(&peer.raddr[12], &a3, 4);
		peer.family = 6;
	}
	peer.rport = bpf_ntohs((__u16)ctx->user_port);
	bpf_map_update_elem(&udp_pending_peer, &task, &peer, BPF_ANY);
	return 1;
}

SEC("cgroup/sendmsg4")
int cnm_sendmsg4(struct bpf_sock_addr *ctx)
{
	return udp_name_peer(ctx, false);
}

SEC("cgroup/sendmsg6")
int cnm_sendmsg6(struct bpf_sock_addr *ctx)
{
	return udp_name_peer(ctx, true);
}

SEC("cgroup/recvmsg4")
int cnm_recvmsg4(struct bpf_sock_addr *ctx)
{
	return udp_name_peer(ctx, false);
}

SEC("cgroup/recvmsg6")
int cnm_recvmsg6(struct bpf_sock_addr *ctx)
{
	return udp_name_peer(ctx, true);
}

static __always_inline void emit_record(const struct conn_record *src)
{
	struct conn_record *rec = bpf_ringbuf_reserve(&closed_events, sizeof(*rec), 0);

	if (!rec) {
		telemetry_add(CNM_TEL_RINGBUF_FULL, 1);
		return;
	}
	__builtin_memcpy(rec, src, sizeof(*rec));
	bpf_ringbuf_submit(rec, wakeup_flags());
}

/* close() of a UDP socket: its peers get closed records instead of idling out. */
static __always_inline void udp_release(void *sk)
{
	struct sock_state *st = state_of(sk);
	struct conn_record *rec = record_scratch_get();
	__u64 cookie = sock_cookie(sk);
	struct conn_stats *e;

	if (!st || !rec)
		return;
	if (st->udp_peers) {
		e = bpf_map_lookup_elem(&udp_stats, &st->first_peer);
		if (e) {
			rec->key = st->first_peer;
			rec->stats = *e;
			rec->kind = CNM_RECORD_UDP_CLOSED;
			rec->pad = 0;
			bpf_map_delete_elem(&udp_stats, &st->first_peer);
			emit_record(rec);
		}
	}
	if (st->udp_peers > 1) {
		__builtin_memset(rec, 0, sizeof(*rec));
		rec->key.cookie = cookie;
		rec->key.family = st->first_peer.family;
		rec->key.protocol = IPPROTO_UDP;
		rec->kind = CNM_RECORD_UDP_RELEASED;
		emit_record(rec);
	}
	e = bpf_map_lookup_elem(&udp_overflow, &cookie);
	if (e) {
		__builtin_memset(&rec->key, 0, sizeof(rec->key));
		rec->key.cookie = cookie;
		rec->key.family = e->family;
		rec->key.protocol = IPPROTO_UDP;
		rec->stats = *e;
		rec->kind = CNM_RECORD_UDP_CLOSED;
		rec->pad = 0;
		bpf_map_delete_elem(&udp_overflow, &cookie);
		emit_record(rec);
	}
}

#ifdef CNM_SOCKET_MAP
/* inet_release runs the cgroup sock_release hook (5.9+); here it stands in for it. */
SEC("fentry/inet_release")
int BPF_PROG(cnm_inet_release, struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk || sk->sk_protocol != IPPROTO_UDP)
		return 0;
	if (cnm_config.collect_udp)
		udp_release(sk);
	state_forget(sk);
	return 0;
}

/* Every new socket, and every socket a listener clones for a connection, starts without state. */
SEC("fexit/sk_alloc")
int BPF_PROG(cnm_sk_alloc, void *net, int family, unsigned int priority, void *prot, int kern,
	     struct sock *ret)
{
	if (ret)
		state_forget(ret);
	return 0;
}

SEC("fexit/sk_clone_lock")
int BPF_PROG(cnm_sk_clone_lock, const struct sock *sk, unsigned int priority, struct sock *ret)
{
	if (ret)
		state_forget(ret);
	return 0;
}

/*
 * Cookie generators: bpf_get_socket_cookie stores the cookie it makes in the socket, where
 * sock_cookie reads it. New sockets get one at creation, accepted ones before ESTABLISHED.
 */
SEC("cgroup/sock_create")
int cnm_cookie_created(struct bpf_sock *ctx)
{
	bpf_get_socket_cookie(ctx);
	return 1;
}

SEC("sockops")
int cnm_cookie_accepted(struct bpf_sock_ops *ctx)
{
	if (ctx->op == BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		bpf_get_socket_cookie(ctx);
	return 1;
}

/* Sockets that predate the monitor get one with the first packet they send or receive. */
SEC("cgroup_skb/ingress")
int cnm_cookie_ingress(struct __sk_buff *skb)
{
	bpf_get_socket_cookie(skb);
	return 1;
}

SEC("cgroup_skb/egress")
int cnm_cookie_egress(struct __sk_buff *skb)
{
	bpf_get_socket_cookie(skb);
	return 1;
}
#else
SEC("cgroup/sock_release")
int cnm_sock_release(struct bpf_sock *ctx)
{
	if (cnm_config.collect_udp && ctx->protocol == IPPROTO_UDP)
		udp_release(ctx);
	return 1;
}
#endif
