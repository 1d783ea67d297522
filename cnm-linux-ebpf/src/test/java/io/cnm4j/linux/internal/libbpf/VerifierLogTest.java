package io.cnm4j.linux.internal.libbpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerifierLogTest {
    @Test
    void theVerifierVerdictBeforeItsStatisticsIsChosen() {
        List<String> warnings = List.of(
                "libbpf: prog 'cnm_tcp_state': BPF program load failed: Invalid argument",
                "libbpf: prog 'cnm_tcp_state': -- BEGIN PROG LOAD LOG --\n"
                        + "0: R1=ctx(off=0,imm=0) R10=fp0\n"
                        + "; int BPF_PROG(cnm_tcp_state, struct sock *sk, int oldstate, int newstate)\n"
                        + "12: (85) call bpf_sk_storage_get#107\n"
                        + "unknown func bpf_sk_storage_get#107\n"
                        + "processed 12 insns (limit 1000000) max_states_per_insn 0 total_states 1 peak_states 1 mark_read 1\n"
                        + "-- END PROG LOAD LOG --",
                "libbpf: prog 'cnm_tcp_state': failed to load: -22",
                "libbpf: failed to load object 'cnm_conn'");

        assertThat(VerifierLog.firstUsefulLine(warnings))
                .hasValue("prog 'cnm_tcp_state': unknown func bpf_sk_storage_get#107");
    }

    @Test
    void aProgramTheVerifierAcceptedButTheKernelRefusedGetsLibbpfsLineAfterTheLog() {
        // fexit on a kernel without ftrace direct calls: verified, then refused
        List<String> warnings = List.of(
                "libbpf: prog 'cnm_inet_sendmsg': -- BEGIN PROG LOAD LOG --\n"
                        + "0: R1=ctx() R10=fp0\n"
                        + "; int BPF_PROG(cnm_inet_sendmsg, struct socket *sock, void *msg, __u64 size, int ret)\n"
                        + "mark_precise: frame0: last_idx 101 first_idx 99 subseq_idx -1\n"
                        + "mark_precise: frame0: regs=r7 stack= before 100: (18) r1 = 0xffff8881193c1a00\n"
                        + "106: safe\n"
                        + "from 99 to 1151: safe\n"
                        + "verification time 193423 usec\n"
                        + "stack depth 368\n"
                        + "processed 2669 insns (limit 1000000) max_states_per_insn 1 total_states 144 peak_states 144 mark_read 0\n"
                        + "-- END PROG LOAD LOG --",
                "libbpf: prog 'cnm_inet_sendmsg': BPF program load failed: Operation not permitted",
                "libbpf: prog 'cnm_inet_sendmsg': failed to load: -1");

        assertThat(VerifierLog.firstUsefulLine(warnings))
                .hasValue("prog 'cnm_inet_sendmsg': BPF program load failed: Operation not permitted");
    }

    @Test
    void withoutAVerifierLogTheFirstWarningIsChosen() {
        List<String> warnings = List.of(
                "libbpf: extern (func ksym) 'bpf_cast_to_kern_ctx': not found in kernel or module BTFs",
                "libbpf: failed to load object 'cnm_conn'");

        assertThat(VerifierLog.firstUsefulLine(warnings))
                .hasValue("extern (func ksym) 'bpf_cast_to_kern_ctx': not found in kernel or module BTFs");
    }

    @Test
    void noWarningsGiveNothing() {
        assertThat(VerifierLog.firstUsefulLine(List.of())).isEmpty();
        assertThat(VerifierLog.firstUsefulLine(List.of("  \n"))).isEmpty();
    }
}
