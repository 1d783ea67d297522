package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracingHelpersTest {
    private static BufferedReader kallsyms(String... lines) {
        return new BufferedReader(new StringReader(String.join("\n", lines) + "\n"));
    }

    @Test
    void a510KernelListsItsDataButNeitherTracingSocketHelperAndGetsTheSocketMapVariant() throws Exception {
        // Debian 11's 5.10: the cgroup and socket-filter prototypes exist, the tracing ones came later
        var present = TracingHelpers.present(kallsyms(
                "ffffffff82012340 R bpf_map_lookup_elem_proto",
                "ffffffff82023450 R bpf_get_socket_cookie_sock_proto",
                "ffffffff82023460 R bpf_sk_storage_get_proto",
                "ffffffff81a0ecb0 T __traceiter_inet_sock_set_state"));

        assertThat(present).containsExactly("bpf_map_lookup_elem_proto");
        assertThat(TracingHelpers.socketHelpers(present)).contains(false);
        assertThat(ProgramVariant.forKernel(false, false)).isEqualTo(ProgramVariant.SOCKET_MAP);
    }

    @Test
    void a511KernelHasSocketStorageButNoCookieForTracingAndGetsTheSocketMapVariant() throws Exception {
        var present = TracingHelpers.present(kallsyms(
                "ffffffff82012340 R bpf_map_lookup_elem_proto",
                "ffffffff82023470 R bpf_sk_storage_get_tracing_proto"));

        assertThat(present).containsExactly("bpf_map_lookup_elem_proto", "bpf_sk_storage_get_tracing_proto");
        assertThat(TracingHelpers.socketHelpers(present)).contains(false);
    }

    @Test
    void a61KernelHasBothAndKeepsTheSharedObject() throws Exception {
        var present = TracingHelpers.present(kallsyms(
                "ffffffff82012340 R bpf_map_lookup_elem_proto",
                "ffffffff82023470 D bpf_sk_storage_get_tracing_proto",
                "ffffffff82023480 D bpf_get_socket_ptr_cookie_proto",
                "ffffffffc0a01000 t bpf_get_socket_ptr_cookie_proto_x\t[some_module]"));

        assertThat(TracingHelpers.socketHelpers(present)).contains(true);
        assertThat(ProgramVariant.forKernel(false, true)).isEqualTo(ProgramVariant.FEXIT);
        assertThat(ProgramVariant.forKernel(true, true)).isEqualTo(ProgramVariant.TRACEPOINTS);
    }

    @Test
    void aListingWithoutDataSymbolsCannotTell() throws Exception {
        // without CONFIG_KALLSYMS_ALL only functions are listed: the kernel version decides instead
        var present = TracingHelpers.present(kallsyms(
                "ffffffff81a0ecb0 T __traceiter_inet_sock_set_state",
                "ffffffff81a0f0a0 T bpf_map_lookup_elem"));

        assertThat(present).isEmpty();
        assertThat(TracingHelpers.socketHelpers(present)).isEqualTo(Optional.empty());
    }
}
