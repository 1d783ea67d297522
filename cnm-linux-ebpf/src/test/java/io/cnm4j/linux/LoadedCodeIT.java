package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.Capabilities;
import io.cnm4j.core.MonitorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the eBPF backend loads, against the real kernel: libbpf by the absolute path of a
 * root-only file, reported with its version and hash next to the BPF object's hash, and no
 * object pinned to bpffs (nothing outlives the monitor or is reachable by others through a path).
 */
class LoadedCodeIT {
    private static final Path BPFFS = Path.of("/sys/fs/bpf");
    private static final Path TRACEFS_SOCK = Path.of("/sys/kernel/tracing/events/sock");
    private static final Path COMMITTED_OBJECT = Path.of("src/main/resources/io/cnm4j/linux/bpf/cnm_conn.bpf.o");
    private static final Path COMMITTED_SOCKET_MAP_OBJECT =
            Path.of("src/main/resources/io/cnm4j/linux/bpf/cnm_conn_socket_map.bpf.o");
    private static final Set<String> MAP_NAMES = Set.of("tcp_live", "udp_stats", "udp_overflow", "closed_events",
            "telemetry", "sock_state", "udp_pending_peer", "record_scratch");

    @Test
    void capabilitiesReportTheLibbpfFileVersionAndHashAndTheObjectHashWithNothingPinned() throws Exception {
        // given
        KernelTestSupport.requireEbpf();
        Set<String> pinnedBefore = pinnedNames();

        // when
        Capabilities capabilities;
        Set<String> pinnedWhileRunning;
        try (KernelTestSupport kernel = KernelTestSupport.start(MonitorConfig.builder().dnsEnabled(false).build())) {
            capabilities = kernel.monitor.capabilities();
            pinnedWhileRunning = pinnedNames();
        }

        // then
        Path libbpf = Path.of(capabilities.provenance().get("libbpf_path"));
        assertThat(capabilities.provenance()).containsOnlyKeys("libbpf_path", "libbpf_version", "libbpf_sha256",
                "bpf_object_sha256", "bpf_program_variant");
        // tracefs and the release, not kallsyms (which the backend reads), say what the kernel offers:
        // tracing programs get socket storage in 5.11 and socket cookies in 5.12, the length tracepoints
        // came in 6.3
        String kernel = System.getProperty("os.version");
        String[] majorMinor = kernel.split("[.-]", 3);
        int release = Integer.parseInt(majorMinor[0]) * 100 + Integer.parseInt(majorMinor[1]);
        boolean socketHelpers = release >= 512;
        assertThat(TRACEFS_SOCK).isDirectory();
        assertThat(capabilities.provenance().get("bpf_program_variant")).isEqualTo(
                !socketHelpers
                        ? "socket_map: tracing programs on kernel " + kernel + " lack "
                                + (release < 511 ? "bpf_sk_storage_get (Linux 5.11+) and " : "")
                                + "bpf_get_socket_cookie (Linux 5.12+)"
                        : Files.isDirectory(TRACEFS_SOCK.resolve("sock_send_length"))
                        ? "tracepoints: kernel " + kernel + " has the sock_send_length/sock_recv_length tracepoints (Linux 6.3+)"
                        : "fexit: kernel " + kernel + " lacks the sock_send_length/sock_recv_length tracepoints (Linux 6.3+)");
        assertThat(libbpf).isAbsolute().isEqualTo(libbpf.toRealPath());
        assertThat(Files.getAttribute(libbpf, "unix:uid")).isEqualTo(0);
        assertThat((Integer) Files.getAttribute(libbpf, "unix:mode") & 0022).isZero();
        assertThat(capabilities.provenance().get("libbpf_version")).matches("v1\\.\\d+");
        assertThat(capabilities.provenance().get("libbpf_sha256")).isEqualTo(sha256(Files.readAllBytes(libbpf)));
        assertThat(capabilities.provenance().get("bpf_object_sha256"))
                .isEqualTo(sha256(Files.readAllBytes(socketHelpers ? COMMITTED_OBJECT : COMMITTED_SOCKET_MAP_OBJECT)));
        assertThat(capabilities.report()).contains("  loaded libbpf_path: " + libbpf + "\n");
        assertThat(pinnedWhileRunning).isEqualTo(pinnedBefore);
        assertThat(pinnedWhileRunning).doesNotContainAnyElementsOf(MAP_NAMES);
    }

    /** Every name under bpffs (others' pins included: only a change while our monitor runs counts). */
    private static Set<String> pinnedNames() throws Exception {
        if (!Files.isDirectory(BPFFS)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.walk(BPFFS)) {
            List<String> names = entries.filter(p -> !p.equals(BPFFS)).map(p -> p.getFileName().toString()).toList();
            return new TreeSet<>(names);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
