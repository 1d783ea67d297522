package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracingHelpersTest {
    private static final KernelVersion DEBIAN_11 = KernelVersion.parse("5.10.0-46-amd64");

    private static BufferedReader kallsyms(String... lines) {
        return new BufferedReader(new StringReader(String.join("\n", lines) + "\n"));
    }

    /** The socket helpers tracing programs lack on a kernel with this kallsyms listing (with data symbols). */
    private static List<String> missingIn(String... lines) throws Exception {
        return TracingHelpers.missing(TracingHelpers.present(kallsyms(lines))).orElseThrow();
    }

    @Test
    void a510KernelListsItsDataButNeitherTracingSocketHelperAndGetsTheSocketMapVariant() throws Exception {
        // Debian 11's 5.10: the cgroup and socket-filter prototypes exist, the tracing ones came later
        var present = TracingHelpers.present(kallsyms(
                "ffffffff82012340 R bpf_map_lookup_elem_proto",
                "ffffffff82023450 R bpf_get_socket_cookie_sock_proto",
                "ffffffff82023460 R bpf_sk_storage_get_proto",
                "ffffffff81a0ecb0 T __traceiter_inet_sock_set_state"));
        List<String> missing = TracingHelpers.missing(present).orElseThrow();

        assertThat(present).containsExactly("bpf_map_lookup_elem_proto");
        assertThat(missing).containsExactly("bpf_sk_storage_get (Linux 5.11+)", "bpf_get_socket_cookie (Linux 5.12+)");
        assertThat(ProgramVariant.forKernel(false, missing)).isEqualTo(ProgramVariant.SOCKET_MAP);
        assertThat(ProgramVariant.SOCKET_MAP.reason(DEBIAN_11, missing)).isEqualTo("tracing programs on kernel"
                + " 5.10.0-46-amd64 lack bpf_sk_storage_get (Linux 5.11+) and bpf_get_socket_cookie (Linux 5.12+)");
    }

    @Test
    void a58KernelGetsTheSocketMapVariantForTheSameReasons() throws Exception {
        // 5.8 offers the same to tracing programs as 5.10 here; what else it lacks (bpf_skc_to_tcp_sock,
        // bpf_jiffies64 in tracing programs) the socket_map object does without
        KernelVersion ubuntu2010 = KernelVersion.parse("5.8.0-63-generic");
        List<String> missing = missingIn("ffffffff81e3c1a0 R bpf_map_lookup_elem_proto",
                "ffffffff81e4d2c0 R bpf_ringbuf_reserve_proto");

        assertThat(missing).isEqualTo(TracingHelpers.missing(ubuntu2010));
        assertThat(ProgramVariant.forKernel(false, missing)).isEqualTo(ProgramVariant.SOCKET_MAP);
        assertThat(ProgramVariant.SOCKET_MAP.reason(ubuntu2010, missing)).isEqualTo("tracing programs on kernel"
                + " 5.8.0-63-generic lack bpf_sk_storage_get (Linux 5.11+) and bpf_get_socket_cookie (Linux 5.12+)");
    }

    @Test
    void a511KernelHasSocketStorageButNoCookieForTracingAndGetsTheSocketMapVariant() throws Exception {
        List<String> missing = missingIn("ffffffff82012340 R bpf_map_lookup_elem_proto",
                "ffffffff82023470 R bpf_sk_storage_get_tracing_proto");

        assertThat(missing).containsExactly("bpf_get_socket_cookie (Linux 5.12+)");
        assertThat(ProgramVariant.SOCKET_MAP.reason(KernelVersion.parse("5.11.22"), missing))
                .isEqualTo("tracing programs on kernel 5.11.22 lack bpf_get_socket_cookie (Linux 5.12+)");
    }

    @Test
    void a61KernelHasBothAndKeepsTheSharedObject() throws Exception {
        List<String> missing = missingIn("ffffffff82012340 R bpf_map_lookup_elem_proto",
                "ffffffff82023470 D bpf_sk_storage_get_tracing_proto",
                "ffffffff82023480 D bpf_get_socket_ptr_cookie_proto",
                "ffffffffc0a01000 t bpf_get_socket_ptr_cookie_proto_x\t[some_module]");

        assertThat(missing).isEmpty();
        assertThat(ProgramVariant.forKernel(false, missing)).isEqualTo(ProgramVariant.FEXIT);
        assertThat(ProgramVariant.forKernel(true, missing)).isEqualTo(ProgramVariant.TRACEPOINTS);
    }

    @Test
    void aListingWithoutDataSymbolsCannotTellAndTheVersionDecides() throws Exception {
        // without CONFIG_KALLSYMS_ALL only functions are listed: the kernel version decides instead
        var present = TracingHelpers.present(kallsyms(
                "ffffffff81a0ecb0 T __traceiter_inet_sock_set_state",
                "ffffffff81a0f0a0 T bpf_map_lookup_elem"));

        assertThat(present).isEmpty();
        assertThat(TracingHelpers.missing(present)).isEqualTo(Optional.empty());
        assertThat(TracingHelpers.missing(DEBIAN_11)).containsExactly("bpf_sk_storage_get (Linux 5.11+)",
                "bpf_get_socket_cookie (Linux 5.12+)");
        assertThat(TracingHelpers.missing(KernelVersion.parse("5.11.0"))).containsExactly(
                "bpf_get_socket_cookie (Linux 5.12+)");
        assertThat(TracingHelpers.missing(KernelVersion.parse("5.12.0"))).isEmpty();
    }
}
