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
 * Whether tracing programs ({@code tp_btf}, {@code fentry}/{@code fexit}) may call
 * {@code bpf_sk_storage_get} (Linux 5.11) and {@code bpf_get_socket_cookie} (Linux 5.12) on this
 * kernel: its verifier hands them the helper prototypes {@code bpf_sk_storage_get_tracing_proto}
 * and {@code bpf_get_socket_ptr_cookie_proto}, kernel data symbols that {@code /proc/kallsyms}
 * lists when it lists data at all ({@code CONFIG_KALLSYMS_ALL}, told by
 * {@code bpf_map_lookup_elem_proto}, which every kernel with BPF has). Where kallsyms cannot tell,
 * the kernel version decides. The answer chooses between {@link ProgramVariant#SOCKET_MAP} and the
 * others; the kernel is scanned once per process.
 */
final class TracingHelpers {
    static final List<String> SOCKET_HELPERS = List.of("bpf_sk_storage_get_tracing_proto",
            "bpf_get_socket_ptr_cookie_proto");
    static final String DATA_LISTED = "bpf_map_lookup_elem_proto";

    /** Whether the running kernel has both; empty when kallsyms could not tell. */
    private static final Optional<Boolean> RUNNING = scanRunningKernel();

    private TracingHelpers() {
    }

    /** Which of {@link #SOCKET_HELPERS} and {@link #DATA_LISTED} a kallsyms listing names. */
    static Set<String> present(BufferedReader kallsyms) throws IOException {
        Set<String> wanted = new TreeSet<>(SOCKET_HELPERS);
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

    /** Whether both socket helpers are there; empty when the listing has no data symbols to tell by. */
    static Optional<Boolean> socketHelpers(Set<String> present) {
        return present.contains(DATA_LISTED) ? Optional.of(present.containsAll(SOCKET_HELPERS)) : Optional.empty();
    }

    /** Whether the running kernel's tracing programs may call both; when kallsyms cannot tell, whether it is 5.12+. */
    static boolean runningHasSocketHelpers() {
        return RUNNING.orElseGet(() -> KernelVersion.running().atLeast(5, 12));
    }

    private static Optional<Boolean> scanRunningKernel() {
        try (BufferedReader kallsyms = Files.newBufferedReader(Path.of("/proc/kallsyms"), StandardCharsets.US_ASCII)) {
            return socketHelpers(present(kallsyms));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
