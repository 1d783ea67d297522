package io.cnm4j.linux.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which of the kernel tracepoints the BPF programs attach to this kernel has: each tracepoint
 * {@code name} defines the symbol {@code __traceiter_<name>}, listed in {@code /proc/kallsyms}.
 * {@code sock_send_length} and {@code sock_recv_length} came with Linux 6.3; a kernel without them
 * is refused before load, in one sentence, instead of failing in the verifier.
 */
final class KernelTracepoints {
    static final List<String> REQUIRED = List.of("inet_sock_set_state", "tcp_destroy_sock", "sock_send_length",
            "sock_recv_length");
    private static final String PREFIX = "__traceiter_";

    private KernelTracepoints() {
    }

    /** The required tracepoints absent from a kallsyms listing, in {@link #REQUIRED} order. */
    static List<String> missing(BufferedReader kallsyms) throws IOException {
        Set<String> wanted = new LinkedHashSet<>(REQUIRED);
        String line;
        while (!wanted.isEmpty() && (line = kallsyms.readLine()) != null) {
            int name = line.indexOf(PREFIX);
            if (name > 0) {
                // "address type symbol", and for a module symbol a tab and "[module]" after it
                wanted.remove(line.substring(name + PREFIX.length()).split("\\s", 2)[0]);
            }
        }
        return new ArrayList<>(wanted);
    }

    /** Empty when this kernel has every required tracepoint (or cannot be asked); else the reason. */
    static Optional<String> problem() {
        try (BufferedReader kallsyms = Files.newBufferedReader(Path.of("/proc/kallsyms"), StandardCharsets.US_ASCII)) {
            List<String> missing = missing(kallsyms);
            if (missing.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("kernel " + System.getProperty("os.version", "?") + " lacks the tracepoint"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " (sock_send_length and sock_recv_length need Linux 6.3+)");
        } catch (IOException e) {
            // no kallsyms to read: the load itself will tell
            return Optional.empty();
        }
    }
}
