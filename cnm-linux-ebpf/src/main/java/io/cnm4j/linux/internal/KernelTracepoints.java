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
 * Which of the kernel tracepoints the BPF programs attach to this kernel has: each tracepoint
 * {@code name} defines the symbol {@code __traceiter_<name>}, listed in {@code /proc/kallsyms}
 * since Linux 5.10 (static calls); a listing without any such symbol (5.8, 5.9) cannot tell, and
 * the load itself checks the tracepoints there.
 * {@code inet_sock_set_state} and {@code tcp_destroy_sock} are required; a kernel without them is
 * refused before load, in one sentence, instead of failing in the verifier. Whether
 * {@code sock_send_length} and {@code sock_recv_length} (Linux 6.3) exist chooses the
 * {@link ProgramVariant}. The kernel is scanned once per process: its tracepoints do not change.
 */
final class KernelTracepoints {
    static final List<String> REQUIRED = List.of("inet_sock_set_state", "tcp_destroy_sock");
    static final List<String> LENGTH = List.of("sock_send_length", "sock_recv_length");
    private static final String PREFIX = "__traceiter_";

    /** The tracepoints of {@link #REQUIRED} and {@link #LENGTH} this kernel has; null when kallsyms cannot tell. */
    private static final Set<String> RUNNING = scanRunningKernel();

    private KernelTracepoints() {
    }

    /**
     * Which of the {@link #REQUIRED} and {@link #LENGTH} tracepoints a kallsyms listing defines;
     * empty when it names no {@code __traceiter_} symbol at all (a kernel before 5.10).
     */
    static Optional<Set<String>> present(BufferedReader kallsyms) throws IOException {
        Set<String> wanted = new TreeSet<>(REQUIRED);
        wanted.addAll(LENGTH);
        Set<String> found = new TreeSet<>();
        boolean anyTracepoint = false;
        String line;
        while (found.size() < wanted.size() && (line = kallsyms.readLine()) != null) {
            int name = line.indexOf(PREFIX);
            if (name > 0) {
                anyTracepoint = true;
                // "address type symbol", and for a module symbol a tab and "[module]" after it
                String tracepoint = line.substring(name + PREFIX.length()).split("\\s", 2)[0];
                if (wanted.contains(tracepoint)) {
                    found.add(tracepoint);
                }
            }
        }
        return anyTracepoint ? Optional.of(found) : Optional.empty();
    }

    /** The required tracepoints absent from a set of present ones, in {@link #REQUIRED} order. */
    static List<String> missingRequired(Set<String> present) {
        return REQUIRED.stream().filter(t -> !present.contains(t)).toList();
    }

    /** Empty when this kernel has every required tracepoint (or cannot be asked); else the reason. */
    static Optional<String> problem() {
        if (RUNNING == null) {
            // kallsyms cannot tell: the load itself will
            return Optional.empty();
        }
        List<String> missing = missingRequired(RUNNING);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("kernel " + KernelVersion.running() + " lacks the tracepoint"
                + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
    }

    /**
     * Whether this kernel has {@code sock_send_length} and {@code sock_recv_length}; when kallsyms
     * cannot tell, whether the kernel is 6.3 or newer.
     */
    static boolean hasLengthTracepoints() {
        if (RUNNING == null) {
            return KernelVersion.running().atLeast(6, 3);
        }
        return RUNNING.containsAll(LENGTH);
    }

    private static Set<String> scanRunningKernel() {
        try (BufferedReader kallsyms = Files.newBufferedReader(Path.of("/proc/kallsyms"), StandardCharsets.US_ASCII)) {
            return present(kallsyms).map(Set::copyOf).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
