/*
 * The few kernel types and constants cnm_conn.bpf.c uses, instead of a
 * generated vmlinux.h. Only the fields read are declared; with
 * preserve_access_index clang records each access as a CO-RE relocation and
 * libbpf rewrites the offsets from the running kernel's BTF at load time, so
 * member order and the missing members do not matter. Anonymous unions in
 * the real kernel types (e.g. around skc_daddr) are matched by field name.
 */
#ifndef CNM_KERNEL_H
#define CNM_KERNEL_H

#include <linux/types.h>

#define AF_INET 2
#define AF_INET6 10

#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

#define SOCK_STREAM 1

#define MSG_PEEK 2
#define MSG_ERRQUEUE 0x2000

/* enum sock_flags bits of sock.sk_flags */
#define SOCK_DEAD 0
#define SOCK_DONE 1

/* include/net/tcp_states.h */
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2
#define TCP_SYN_RECV 3
#define TCP_FIN_WAIT1 4
#define TCP_TIME_WAIT 6
#define TCP_CLOSE 7
#define TCP_LAST_ACK 9
#define TCP_LISTEN 10
#define TCP_NEW_SYN_RECV 12

#define EADDRNOTAVAIL 99
#define ECANCELED 125

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} __attribute__((preserve_access_index)) possible_net_t;

struct in6_addr {
	union {
		__u8 u6_addr8[16];
		__be32 u6_addr32[4];
	} in6_u;
} __attribute__((preserve_access_index));

typedef struct {
	__s64 counter;
} __attribute__((preserve_access_index)) atomic64_t;

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	possible_net_t skc_net;
	/* sock.sk_flags is a macro for this: enum sock_flags bits. */
	unsigned long skc_flags;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
	/* The socket cookie once generated, else 0. */
	atomic64_t skc_cookie;
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
	__u16 sk_protocol;
	__u16 sk_type;
	int sk_err;
} __attribute__((preserve_access_index));

struct inet_sock {
	__be16 inet_sport;
} __attribute__((preserve_access_index));

struct inet_connection_sock {
	struct inet_sock icsk_inet;
} __attribute__((preserve_access_index));

/* The tcp_sock fields cnm_conn.bpf.c reads, after the inet_connection_sock it starts with. */
#define CNM_TCP_SOCK_COUNTERS \
	__u32 segs_in; \
	__u32 segs_out; \
	__u32 total_retrans; \
	__u32 srtt_us; \
	__u32 mdev_us; \
	__u32 rcv_nxt; \
	__u32 copied_seq; \
	__u32 snd_una; \
	__u32 write_seq; \
	__u64 bytes_received; \
	__u64 bytes_acked;

#ifdef CNM_SOCKET_MAP
/*
 * Before 5.9 a tracing program cannot turn its struct sock into a tcp_sock it may read
 * (bpf_skc_to_tcp_sock): tcp_sock_of copies these fields from the kernel's tcp_sock
 * (tcp_sock___kernel, relocated by CO-RE) into this plain struct on the stack, which the code
 * reads like the kernel's; its nesting keeps the kernel's member names.
 */
struct tcp_sock {
	struct {
		struct {
			__be16 inet_sport;
		} icsk_inet;
	} inet_conn;
	CNM_TCP_SOCK_COUNTERS
};

struct tcp_sock___kernel {
	struct inet_connection_sock inet_conn;
	CNM_TCP_SOCK_COUNTERS
} __attribute__((preserve_access_index));
#else
struct tcp_sock {
	struct inet_connection_sock inet_conn;
	CNM_TCP_SOCK_COUNTERS
	/* When the socket last sent or received a segment: tcp_clock_us(), CLOCK_MONOTONIC in us. */
	__u64 tcp_mstamp;
} __attribute__((preserve_access_index));
#endif

struct socket {
	struct sock *sk;
} __attribute__((preserve_access_index));

struct sk_buff {
	struct sock *sk;
	unsigned char *head;
	__u16 transport_header;
	__u16 network_header;
} __attribute__((preserve_access_index));

struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

/* Context of iter/bpf_sk_storage_map programs: one socket's storage in the map walked. */
struct bpf_iter__bpf_sk_storage_map {
	struct bpf_iter_meta *meta;
	struct sock *sk;
	void *value;
} __attribute__((preserve_access_index));

#endif
