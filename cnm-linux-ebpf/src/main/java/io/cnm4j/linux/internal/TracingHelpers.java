package io.cnm4j.linux.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of {@code bpf_sk_storage_get} (Linux 5.11) and {@code bpf_get_socket_cookie} (Linux 5.12)
 * tracing programs ({@code tp_btf}, {@code fentry}/{@code fexit}) may not call on this kernel: its
 * verifier hands them the helper prototypes {@code bpf_sk_storage_get_tracing_proto} and
 * {@code bpf_get_socket_ptr_cookie_proto}, kernel data symbols that {@code /proc/kallsyms} lists
 * when it lists data at all ({@code CONFIG_KALLSYMS_ALL}, told by {@code bpf_map_lookup_elem_proto},
 * which every kernel with BPF has). Where kallsyms cannot tell, the kernel version decides. The
 * answer chooses between {@link ProgramVariant#SOCKET_MAP} and the others, and says why; the
 * kernel is scanned once per process.
 */
final class TracingHelpers {
    /** A socket helper: its prototype for tracing programs, and the Linux release that brought it. */
    private record SocketHelper(String prototype, String helper, int major, int minor) {
        /** As reasons name it. */
        String named() {
            return helper + " (Linux " + major + "." + minor + "+)";
        }
    }

    /** In the order they came to Linux. */
    private static final List<SocketHelper> SOCKET_HELPERS = List.of(
            new SocketHelper("bpf_sk_storage_get_tracing_proto", "bpf_sk_storage_get", 5, 11),
            new SocketHelper("bpf_get_socket_ptr_cookie_proto", "bpf_get_socket_cookie", 5, 12));
    static final String DATA_LISTED = "bpf_map_lookup_elem_proto";

    /** The socket helpers the running kernel's tracing programs lack; empty when kallsyms could not tell. */
    private static final Optional<List<String>> RUNNING = scanRunningKernel();

    private TracingHelpers() {
    }

    /** Which of the socket helpers' prototypes and {@link #DATA_LISTED} a kallsyms listing names. */
    static Set<String> present(BufferedReader kallsyms) throws IOException {
        Set<String> wanted = new TreeSet<>();
        SOCKET_HELPERS.forEach(h -> wanted.add(h.prototype()));
        wanted.add(DATA_LISTED);
        Set<String> found = new TreeSet<>();
        String line;
        while (found.size() < wanted.size() && (line = kallsyms.readLine()) != null) {
            // "address type symbol", and for a module symbol a tab and "[module]" after it
            String[] fields = line.split("\\s+", 4);
            if (fields.length >= 3 && wanted.contains(fields[2])) {
                found.add(fields[2]);
            }
        }
        return found;
    }

    /**
     * The socket helpers tracing programs lack, in the order they came to Linux; empty when the
     * listing has no data symbols to tell by.
     */
    static Optional<List<String>> missing(Set<String> present) {
        if (!present.contains(DATA_LISTED)) {
            return Optional.empty();
        }
        return Optional.of(SOCKET_HELPERS.stream().filter(h -> !present.contains(h.prototype()))
                .map(SocketHelper::named).toList());
    }

    /** The socket helpers a kernel's tracing programs lack by its version (when kallsyms cannot tell). */
    static List<String> missing(KernelVersion kernel) {
        return SOCKET_HELPERS.stream().filter(h -> !kernel.atLeast(h.major(), h.minor()))
                .map(SocketHelper::named).toList();
    }

    /** The socket helpers the running kernel's tracing programs lack. */
    static List<String> runningMissing() {
        return RUNNING.orElseGet(() -> missing(KernelVersion.running()));
    }

    private static Optional<List<String>> scanRunningKernel() {
        try (BufferedReader kallsyms = Files.newBufferedReader(Path.of("/proc/kallsyms"), StandardCharsets.US_ASCII)) {
            return missing(present(kallsyms));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
