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
