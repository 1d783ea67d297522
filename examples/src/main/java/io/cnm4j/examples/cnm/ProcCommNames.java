package io.cnm4j.examples.cnm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Process names from {@code /proc/PID/comm}, cached (least recently used first out) so that a
 * refresh does not read a file per connection. A pid that cannot be read is cached as unknown
 * (empty). Not thread-safe: use from one thread.
 */
final class ProcCommNames implements ProcessNames {
    private static final int CACHE_SIZE = 4096;

    private final Path procRoot;
    private final Map<Integer, String> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** Names from {@code procRoot/PID/comm}; {@code /proc} on a live host. */
    ProcCommNames(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** Names from the host's {@code /proc}. */
    static ProcCommNames host() {
        return new ProcCommNames(Path.of("/proc"));
    }

    @Override
    public String nameOf(int pid) {
        if (pid <= 0) {
            return "";
        }
        return cache.computeIfAbsent(pid, this::read);
    }

    private String read(int pid) {
        try {
            return Files.readString(procRoot.resolve(Integer.toString(pid)).resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException gone) {
            // The process exited, or /proc is not there (not Linux, hidepid): the name stays unknown.
            return "";
        }
    }
}
