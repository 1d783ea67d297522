package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelTracepointsTest {
    private static BufferedReader kallsyms(String... lines) {
        return new BufferedReader(new StringReader(String.join("\n", lines) + "\n"));
    }

    @Test
    void a63KernelHasEveryTracepointAndGetsTheTracepointVariant() throws Exception {
        var present = KernelTracepoints.present(kallsyms(
                "ffffffff81f0ecb0 T __traceiter_inet_sock_set_state",
                "ffffffff81f0edc0 T __traceiter_sock_send_length",
                "ffffffff81f0ee30 T __traceiter_sock_recv_length",
                "0000000000000000 T __traceiter_tcp_destroy_sock",
                "ffffffff81f0f0a0 T tcp_v4_connect")).orElseThrow();

        assertThat(present).containsExactlyInAnyOrder("inet_sock_set_state", "tcp_destroy_sock", "sock_send_length",
                "sock_recv_length");
        assertThat(KernelTracepoints.missingRequired(present)).isEmpty();
        assertThat(ProgramVariant.forKernel(present.containsAll(KernelTracepoints.LENGTH), List.of()))
                .isEqualTo(ProgramVariant.TRACEPOINTS);
    }

    @Test
    void a61KernelLacksOnlyTheLengthTracepointsAndGetsTheFexitVariant() throws Exception {
        // Debian 12's 6.1: the state and destroy tracepoints exist, the length ones came with 6.3
        var present = KernelTracepoints.present(kallsyms(
                "ffffffff81a0ecb0 T __traceiter_inet_sock_set_state",
                "ffffffff81a0f0a0 T __traceiter_tcp_destroy_sock",
                "ffffffff81a0f1a0 t __traceiter_sock_exceed_buf_limit",
                "ffffffffc0a01000 t __traceiter_sock_send_length_x\t[some_module]")).orElseThrow();

        assertThat(present).containsExactlyInAnyOrder("inet_sock_set_state", "tcp_destroy_sock");
        assertThat(KernelTracepoints.missingRequired(present)).isEmpty();
        assertThat(ProgramVariant.forKernel(present.containsAll(KernelTracepoints.LENGTH), List.of()))
                .isEqualTo(ProgramVariant.FEXIT);
    }

    @Test
    void aKernelWithoutTheStateTracepointsMissesThemInOrder() throws Exception {
        var present = KernelTracepoints.present(kallsyms(
                "ffffffff81a0ecb0 T __traceiter_sock_exceed_buf_limit",
                "ffffffff81a0f0a0 T __traceiter_tcp_retransmit_skb")).orElseThrow();

        assertThat(KernelTracepoints.missingRequired(present)).containsExactly("inet_sock_set_state",
                "tcp_destroy_sock");
    }

    @Test
    void aKernelBeforeStaticCallTracepointsCannotTell() throws Exception {
        // 5.8 and 5.9 name a tracepoint __tracepoint_<name> (data) and its BPF glue after its event
        // class (__bpf_trace_<class>): no __traceiter_ symbol, so the load checks the tracepoints there
        var present = KernelTracepoints.present(kallsyms(
                "ffffffff82a41b20 D __tracepoint_inet_sock_set_state",
                "ffffffff81a0ecb0 t __bpf_trace_inet_sock_set_state",
                "ffffffff81a0f0a0 t __bpf_trace_tcp_event_sk"));

        assertThat(present).isEmpty();
    }
}
