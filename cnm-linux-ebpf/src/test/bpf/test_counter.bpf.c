// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test object for LibBpfIT: one program and map of each kind the libbpf bindings handle.
 *
 * Rebuild the committed object after editing (from cnm-linux-ebpf/; the prefix map keeps the
 * checkout path out of the debug info, so the object is the same on every machine):
 *   clang -O2 -g -target bpf -fdebug-prefix-map=$(pwd)=. -I/usr/include/$(uname -m)-linux-gnu \
 *     -c src/test/bpf/test_counter.bpf.c \
 *     -o src/test/resources/io/cnm4j/linux/internal/libbpf/test_counter.bpf.o
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Distinguishes our records from garbage in a test assertion: "cnm4jtst" read as little-endian. */
#define TEST_EVENT_MAGIC 0x7473746a346d6e63ULL

/* Set from Java before the syscall: only this process and this syscall are counted, so other
 * processes calling getppid concurrently cannot disturb exact assertions. The syscall number is
 * architecture-specific, which is why Java supplies it. */
struct test_config {
	__u32 target_tgid;
	__u32 syscall_nr;
};

struct test_event {
	__u32 tgid;
	__u32 tid;
	__u64 count;
	__u64 magic;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct test_config);
} test_config SEC(".maps");

/* Calls seen per process (tgid). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} test_counts SEC(".maps");

/* Filled from Java only; deliberately declared too small so the test must resize it before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} test_entries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} test_events SEC(".maps");

struct pt_regs;

SEC("tp_btf/sys_enter")
int BPF_PROG(count_getppid, struct pt_regs *regs, long syscall_nr)
{
	__u32 zero = 0;
	struct test_config *config = bpf_map_lookup_elem(&test_config, &zero);
	if (!config || syscall_nr != config->syscall_nr)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (tgid != config->target_tgid)
		return 0;

	__u64 first = 1;
	__u64 *count = bpf_map_lookup_elem(&test_counts, &tgid);
	__u64 now;
	if (count) {
		now = __sync_add_and_fetch(count, 1);
	} else {
		bpf_map_update_elem(&test_counts, &tgid, &first, BPF_NOEXIST);
		now = 1;
	}

	struct test_event *event = bpf_ringbuf_reserve(&test_events, sizeof(*event), 0);
	if (!event)
		return 0;
	event->tgid = tgid;
	event->tid = (__u32)pid_tgid;
	event->count = now;
	event->magic = TEST_EVENT_MAGIC;
	bpf_ringbuf_submit(event, 0);
	return 0;
}

/* Attached to a cgroup by the test; lets every packet through. */
SEC("cgroup_skb/egress")
int allow_all_egress(struct __sk_buff *skb)
{
	return 1;
}

/* Never attachable (no such kernel symbol): the test disables it before load, the way the
 * backend disables optional programs its kernel cannot run. */
SEC("kprobe/cnm4j_symbol_that_does_not_exist")
int optional_probe(void *ctx)
{
	return 0;
}
