/*
 * Connection tracking for cnm4j on tracepoints and cgroup hooks only (no
 * kprobes, no fentry). Layouts and map semantics: cnm_conn.h.
 *
 * TCP: one conn_stats entry per socket cookie, created at connect
 * (SYN_SENT), at accept (SYN_RECV -> ESTABLISHED) or lazily on the first
 * send/recv of a connection that predates the load; closed through the ring
 * buffer at TCP_CLOSE. UDP: one entry per (socket cookie, remote endpoint),
 * counted per datagram by cgroup_skb programs on the cgroup v2 root; the
 * entries of a socket are closed when the socket is released.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include "cnm_kernel.h"
#include "cnm_conn.h"

/* GPL-compatible: the kernel refuses BTF tracing programs otherwise. */
char LICENSE[] SEC("license") = "GPL";

#define EEXIST 17

/* Not LRU: an insert into a full map must fail, so that it can be counted. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CNM_CONN_STATS_DEFAULT_ENTRIES);
	__type(key, struct conn_key);
	__type(value, struct conn_stats);
} conn_stats SEC(".maps");

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

/* PID of the first process seen using a UDP socket, and the peers it has. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sock_info);
} sock_info SEC(".maps");

/* Gives cgroup_skb programs the kernel sk_buff, to read the netns of its socket. */
extern void *bpf_cast_to_kern_ctx(void *ctx) __ksym;

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

static __always_inline void telemetry_inc(__u32 slot)
{
	__u64 *count = bpf_map_lookup_elem(&telemetry, &slot);

	if (count)
		__sync_fetch_and_add(count, 1);
}

static __always_inline __u32 current_tgid(void)
{
	return bpf_get_current_pid_tgid() >> 32;
}

/* Inserts init, or returns the entry a concurrent CPU inserted first. */
static __always_inline struct conn_stats *conn_insert(const struct conn_key *key,
						      const struct conn_stats *init)
{
	long err = bpf_map_update_elem(&conn_stats, key, init, BPF_NOEXIST);

	if (err && err != -EEXIST) {
		telemetry_inc(CNM_TEL_CONN_INSERT_FAILED);
		return NULL;
	}
	return bpf_map_lookup_elem(&conn_stats, key);
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

static __always_inline bool sock_is_inet(const struct sock *sk, __u16 protocol)
{
	unsigned short family;

	if (!sk || sk->sk_protocol != protocol)
		return false;
	family = sk->__sk_common.skc_family;
	return family == AF_INET || family == AF_INET6;
}

static __always_inline void tcp_key(const struct sock *sk, struct conn_key *key)
{
	__builtin_memset(key, 0, sizeof(*key));
	key->cookie = bpf_get_socket_cookie((void *)sk);
	key->family = sock_is_v4(sk) ? 4 : 6;
	key->protocol = IPPROTO_TCP;
}

static __always_inline void tcp_tuple(const struct sock *sk, const struct conn_key *key,
				      struct conn_stats *s)
{
	if (key->family == 4) {
		__builtin_memcpy(s->laddr, &sk->__sk_common.skc_rcv_saddr, 4);
		__builtin_memcpy(s->raddr, &sk->__sk_common.skc_daddr, 4);
	} else {
		__builtin_memcpy(s->laddr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		__builtin_memcpy(s->raddr, &sk->__sk_common.skc_v6_daddr, 16);
	}
	s->lport = sk->__sk_common.skc_num;
	s->rport = bpf_ntohs(sk->__sk_common.skc_dport);
	s->family = key->family;
	s->protocol = IPPROTO_TCP;
	s->netns = sock_netns(sk);
}

/* Packets, retransmits and RTT are the socket's own counters, like tcp_info. */
static __always_inline void tcp_refresh(const struct sock *sk, struct conn_stats *s, __u64 now)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);

	s->last_update_ns = now;
	if (!tp)
		return;
	/*
	 * connect() enters SYN_SENT before it picks the ephemeral port, and
	 * TCP_CLOSE releases the port (skc_num = 0); inet_sport survives both.
	 */
	if (!s->lport)
		s->lport = bpf_ntohs(tp->inet_conn.icsk_inet.inet_sport);
	s->packets_sent = tp->segs_out;
	s->packets_recv = tp->segs_in;
	s->retransmits = tp->total_retrans;
	s->srtt_us = tp->srtt_us >> 3;
	s->rttvar_us = tp->mdev_us >> 2;
}

static __always_inline struct conn_stats *tcp_entry(const struct sock *sk,
						    const struct conn_key *key,
						    __u8 direction, __u32 pid, __u64 now)
{
	struct conn_stats *e = bpf_map_lookup_elem(&conn_stats, key);
	struct conn_stats init = {};

	if (e)
		return e;
	tcp_tuple(sk, key, &init);
	init.direction = direction;
	init.pid = pid;
	init.start_ns = now;
	init.last_update_ns = now;
	return conn_insert(key, &init);
}

static __always_inline void tcp_closed(const struct sock *sk, const struct conn_key *key,
				       int oldstate, __u64 now)
{
	struct conn_stats *e = bpf_map_lookup_elem(&conn_stats, key);
	struct conn_closed_event *ev;
	__u32 err;

	ev = bpf_ringbuf_reserve(&closed_events, sizeof(*ev), 0);
	if (!ev) {
		telemetry_inc(CNM_TEL_RINGBUF_FULL);
		if (e)
			bpf_map_delete_elem(&conn_stats, key);
		return;
	}
	ev->key = *key;
	if (e) {
		ev->stats = *e;
	} else {
		/* Predates the load and never sent nor received since: report it anyway. */
		__builtin_memset(&ev->stats, 0, sizeof(ev->stats));
		tcp_tuple(sk, key, &ev->stats);
		ev->stats.start_ns = now;
	}
	tcp_refresh(sk, &ev->stats, now);
	err = sk->sk_err;
	/* The application closed the socket before the handshake completed. */
	if (!err && oldstate == TCP_SYN_SENT)
		err = ECANCELED;
	ev->failure_errno = err;
	ev->kind = CNM_EVENT_TCP_CLOSED;
	bpf_ringbuf_submit(ev, wakeup_flags());
	if (e)
		bpf_map_delete_elem(&conn_stats, key);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(cnm_tcp_state, const struct sock *sk, int oldstate, int newstate)
{
	struct conn_stats *e;
	struct conn_key key;
	__u64 now;

	if (!sock_is_inet(sk, IPPROTO_TCP))
		return 0;
	if (newstate != TCP_SYN_SENT && newstate != TCP_ESTABLISHED && newstate != TCP_CLOSE)
		return 0;
	if (newstate == TCP_CLOSE && oldstate == TCP_LISTEN)
		return 0;
	tcp_key(sk, &key);
	now = bpf_ktime_get_ns();

	if (newstate == TCP_SYN_SENT) {
		/* connect() makes this transition in the caller's context. */
		tcp_entry(sk, &key, CNM_DIR_OUTGOING, current_tgid(), now);
		return 0;
	}
	if (newstate == TCP_CLOSE) {
		tcp_closed(sk, &key, oldstate, now);
		return 0;
	}
	/* ESTABLISHED happens in softirq: the PID comes from connect or the first send/recv. */
	if (oldstate == TCP_SYN_SENT)
		e = tcp_entry(sk, &key, CNM_DIR_OUTGOING, 0, now);
	else if (oldstate == TCP_SYN_RECV)
		e = tcp_entry(sk, &key, CNM_DIR_INCOMING, 0, now);
	else
		return 0;
	if (e) {
		e->established = 1;
		tcp_refresh(sk, e, now);
	}
	return 0;
}

/* Sends and receives give the PID of a UDP socket; its bytes come from cgroup_skb. */
static __always_inline void udp_remember_pid(void *sk)
{
	struct sock_info *info = bpf_sk_storage_get(&sock_info, sk, 0,
						    BPF_SK_STORAGE_GET_F_CREATE);

	if (!info) {
		telemetry_inc(CNM_TEL_SK_STORAGE_FAILED);
		return;
	}
	if (!info->pid)
		info->pid = current_tgid();
}

static __always_inline void sock_io(struct sock *sk, int ret, int flags, bool recv)
{
	struct conn_stats *e;
	struct conn_key key;
	unsigned char state;
	__u32 pid;
	__u64 now;

	if (sock_is_inet(sk, IPPROTO_UDP)) {
		udp_remember_pid(sk);
		return;
	}
	if (ret <= 0 || !sock_is_inet(sk, IPPROTO_TCP))
		return;
	/* Peeked bytes are read again later. */
	if (recv && (flags & MSG_PEEK))
		return;
	tcp_key(sk, &key);
	now = bpf_ktime_get_ns();
	pid = current_tgid();
	e = bpf_map_lookup_elem(&conn_stats, &key);
	if (!e) {
		/* A closed socket must not get an entry again: nothing would delete it. */
		state = sk->__sk_common.skc_state;
		if (state == TCP_CLOSE || state == TCP_LISTEN)
			return;
		e = tcp_entry(sk, &key, CNM_DIR_UNKNOWN, pid, now);
		if (!e)
			return;
	}
	if (recv)
		__sync_fetch_and_add(&e->bytes_recv, ret);
	else
		__sync_fetch_and_add(&e->bytes_sent, ret);
	if (!e->pid)
		e->pid = pid;
	tcp_refresh(sk, e, now);
}

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

/* The map entry of a TCP socket (its key filled in), or NULL when it is not TCP or not tracked. */
static __always_inline struct conn_stats *tracked_tcp_entry(const struct sock *sk, struct conn_key *key)
{
	if (!sock_is_inet(sk, IPPROTO_TCP))
		return NULL;
	tcp_key(sk, key);
	return bpf_map_lookup_elem(&conn_stats, key);
}

/*
 * Fires after total_retrans was updated: keeps connections that only
 * retransmit current. The err argument (recent kernels only) is not read, so
 * that older kernels load this too; a failed attempt leaves total_retrans as is.
 */
SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(cnm_tcp_retrans, const struct sock *sk)
{
	struct conn_stats *e;
	struct conn_key key;

	e = tracked_tcp_entry(sk, &key);
	if (e)
		tcp_refresh(sk, e, bpf_ktime_get_ns());
	return 0;
}

/* The last chance for an entry still in the map when its socket is destroyed. */
SEC("tp_btf/tcp_destroy_sock")
int BPF_PROG(cnm_tcp_destroy, const struct sock *sk)
{
	struct conn_stats *e;
	struct conn_key key;

	e = tracked_tcp_entry(sk, &key);
	if (!e)
		return 0;
	/*
	 * An entry that saw ESTABLISHED is still here only when its TCP_CLOSE transition was missed
	 * (the kernel skips a tracing program that is already running on this CPU): close it now.
	 * Lazily created entries (established 0) were re-created by a send/recv racing the close.
	 */
	if (e->established) {
		tcp_closed(sk, &key, TCP_CLOSE, bpf_ktime_get_ns());
		return 0;
	}
	if (bpf_map_delete_elem(&conn_stats, &key) == 0)
		telemetry_inc(CNM_TEL_TCP_LATE_ENTRY);
	return 0;
}

/* connect/sendmsg run before the first datagram leaves: the earliest PID. */
static __always_inline int sock_addr_pid(struct bpf_sock_addr *ctx)
{
	if (ctx->protocol == IPPROTO_UDP)
		udp_remember_pid(ctx->sk);
	return 1;
}

SEC("cgroup/connect4")
int cnm_connect4(struct bpf_sock_addr *ctx)
{
	return sock_addr_pid(ctx);
}

SEC("cgroup/connect6")
int cnm_connect6(struct bpf_sock_addr *ctx)
{
	return sock_addr_pid(ctx);
}

SEC("cgroup/sendmsg4")
int cnm_sendmsg4(struct bpf_sock_addr *ctx)
{
	return sock_addr_pid(ctx);
}

SEC("cgroup/sendmsg6")
int cnm_sendmsg6(struct bpf_sock_addr *ctx)
{
	return sock_addr_pid(ctx);
}

static __always_inline bool same_key(const struct conn_key *a, const struct conn_key *b)
{
	const __u64 *x = (const __u64 *)a;
	const __u64 *y = (const __u64 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

static __always_inline void udp_track_peer(struct sock_info *info, const struct conn_key *key)
{
	if (!info->udp_peers) {
		info->first_udp_key = *key;
		info->udp_peers = 1;
	} else if (!same_key(&info->first_udp_key, key)) {
		info->udp_peers = 2;
	}
}

struct udp_headers {
	__u8 laddr[16];
	__u8 raddr[16];
	__u16 lport;
	__u16 rport;
	__u8 family;
	__u32 header_len;
};

/* The packet starts at the IP header in cgroup_skb programs. */
static __always_inline int udp_parse(struct __sk_buff *skb, bool egress, struct udp_headers *h)
{
	__u8 ip[40] = {};
	__be16 ports[2];
	__u8 *src, *dst;

	if (bpf_skb_load_bytes(skb, 0, ip, 20))
		return -1;
	if ((ip[0] >> 4) == 4) {
		if (ip[9] != IPPROTO_UDP)
			return -1;
		h->family = 4;
		h->header_len = (ip[0] & 0xf) * 4;
		src = &ip[12];
		dst = &ip[16];
	} else if ((ip[0] >> 4) == 6) {
		if (bpf_skb_load_bytes(skb, 0, ip, 40) || ip[6] != IPPROTO_UDP)
			return -1;
		h->family = 6;
		h->header_len = 40;
		src = &ip[8];
		dst = &ip[24];
	} else {
		return -1;
	}
	if (bpf_skb_load_bytes(skb, h->header_len, ports, sizeof(ports)))
		return -1;
	if (egress) {
		__builtin_memcpy(h->laddr, src, 16);
		__builtin_memcpy(h->raddr, dst, 16);
		h->lport = bpf_ntohs(ports[0]);
		h->rport = bpf_ntohs(ports[1]);
	} else {
		__builtin_memcpy(h->laddr, dst, 16);
		__builtin_memcpy(h->raddr, src, 16);
		h->lport = bpf_ntohs(ports[1]);
		h->rport = bpf_ntohs(ports[0]);
	}
	if (h->family == 4) {
		__builtin_memset(&h->laddr[4], 0, 12);
		__builtin_memset(&h->raddr[4], 0, 12);
	}
	h->header_len += 8;
	return 0;
}

static __always_inline int udp_packet(struct __sk_buff *skb, bool egress)
{
	struct udp_headers h = {};
	struct bpf_sock *sk = skb->sk;
	struct sock_info *info;
	struct conn_stats *e;
	struct conn_key key = {};
	__u64 now, bytes, segs;

	if (!sk)
		return 1;
	sk = bpf_sk_fullsock(sk);
	if (!sk || sk->protocol != IPPROTO_UDP)
		return 1;
	if (udp_parse(skb, egress, &h)) {
		telemetry_inc(CNM_TEL_UDP_UNPARSED);
		return 1;
	}
	key.cookie = bpf_get_socket_cookie(skb);
	__builtin_memcpy(key.raddr, h.raddr, 16);
	key.rport = h.rport;
	key.family = h.family;
	key.protocol = IPPROTO_UDP;
	now = bpf_ktime_get_ns();

	e = bpf_map_lookup_elem(&conn_stats, &key);
	if (!e) {
		struct sk_buff *kskb = bpf_cast_to_kern_ctx(skb);
		struct sock *ksk = kskb->sk;
		struct conn_stats init = {};

		info = bpf_sk_storage_get(&sock_info, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (!info)
			telemetry_inc(CNM_TEL_SK_STORAGE_FAILED);
		__builtin_memcpy(init.laddr, h.laddr, 16);
		__builtin_memcpy(init.raddr, h.raddr, 16);
		init.lport = h.lport;
		init.rport = h.rport;
		init.family = h.family;
		init.protocol = IPPROTO_UDP;
		/* UDP has no handshake: whoever sends the first datagram opened the flow. */
		init.direction = egress ? CNM_DIR_OUTGOING : CNM_DIR_INCOMING;
		init.pid = info ? info->pid : 0;
		if (ksk)
			init.netns = sock_netns(ksk);
		init.start_ns = now;
		e = conn_insert(&key, &init);
		if (!e)
			return 1;
		if (info)
			udp_track_peer(info, &key);
	} else if (!e->pid) {
		info = bpf_sk_storage_get(&sock_info, sk, 0, 0);
		if (info && info->pid)
			e->pid = info->pid;
	}

	/* A GSO datagram carries gso_segs datagrams of payload behind one header. */
	segs = skb->gso_segs ? skb->gso_segs : 1;
	bytes = skb->len > h.header_len ? skb->len - h.header_len : 0;
	if (egress) {
		__sync_fetch_and_add(&e->bytes_sent, bytes);
		__sync_fetch_and_add(&e->packets_sent, segs);
	} else {
		__sync_fetch_and_add(&e->bytes_recv, bytes);
		__sync_fetch_and_add(&e->packets_recv, segs);
	}
	e->last_update_ns = now;
	return 1;
}

SEC("cgroup_skb/ingress")
int cnm_skb_ingress(struct __sk_buff *skb)
{
	return udp_packet(skb, false);
}

SEC("cgroup_skb/egress")
int cnm_skb_egress(struct __sk_buff *skb)
{
	return udp_packet(skb, true);
}

static __always_inline void emit_udp_closed(const struct conn_key *key,
					    const struct conn_stats *e, __u32 pid)
{
	struct conn_closed_event *ev = bpf_ringbuf_reserve(&closed_events, sizeof(*ev), 0);

	if (!ev) {
		telemetry_inc(CNM_TEL_RINGBUF_FULL);
		return;
	}
	ev->key = *key;
	ev->stats = *e;
	/* The datagram that created the entry may have arrived before any recv(). */
	if (!ev->stats.pid)
		ev->stats.pid = pid;
	ev->failure_errno = 0;
	ev->kind = CNM_EVENT_UDP_CLOSED;
	bpf_ringbuf_submit(ev, wakeup_flags());
}

static __always_inline void emit_udp_released(const struct conn_key *first)
{
	struct conn_closed_event *ev = bpf_ringbuf_reserve(&closed_events, sizeof(*ev), 0);

	if (!ev) {
		telemetry_inc(CNM_TEL_RINGBUF_FULL);
		return;
	}
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->key.cookie = first->cookie;
	ev->key.family = first->family;
	ev->key.protocol = IPPROTO_UDP;
	ev->kind = CNM_EVENT_UDP_RELEASED;
	bpf_ringbuf_submit(ev, wakeup_flags());
}

/* close() of a UDP socket: its peers get closed events instead of idling out. */
SEC("cgroup/sock_release")
int cnm_sk_release(struct bpf_sock *ctx)
{
	struct sock_info *info;
	struct conn_stats *e;
	struct conn_key key;

	if (ctx->protocol != IPPROTO_UDP)
		return 1;
	info = bpf_sk_storage_get(&sock_info, ctx, 0, 0);
	if (!info || !info->udp_peers)
		return 1;
	key = info->first_udp_key;
	e = bpf_map_lookup_elem(&conn_stats, &key);
	if (e) {
		emit_udp_closed(&key, e, info->pid);
		bpf_map_delete_elem(&conn_stats, &key);
	}
	if (info->udp_peers > 1)
		emit_udp_released(&key);
	return 1;
}
