/*
 * The kernel cost benchmark's baseline: programs on the tracepoints of cnm_sock_send and
 * cnm_sock_recv that do nothing. What they cost per run (trampoline, context, run statistics)
 * is the floor under any program there; cnm's figure is reported over it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sock_send_length")
int empty_sock_send(void *ctx)
{
	return 0;
}

SEC("tp_btf/sock_recv_length")
int empty_sock_recv(void *ctx)
{
	return 0;
}
