package io.cnm4j.tagging.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads the few {@code /proc/<pid>} files the taggers use, from a configurable root (tests point
 * it at a directory of recorded files). Every read is bounded; a missing process yields empty
 * results, never an exception. Stateless and thread-safe.
 */
public final class ProcFiles {
    private static final int SMALL_FILE_LIMIT = 16 * 1024;

    private final Path root;

    public ProcFiles(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /**
     * The process start time in clock ticks after boot (field 22 of {@code stat}), empty when the
     * process is gone. The name field may hold spaces and parentheses, so fields are counted after
     * the last ')'.
     */
    public OptionalLong startTicks(int pid) {
        String stat = read(pid, "stat", SMALL_FILE_LIMIT);
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        String[] fields = stat.substring(close + 2).trim().split(" ");
        // after ')': field 3 (state) is index 0, so field 22 is index 19
        if (fields.length < 20) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code /proc/<pid>/comm} without its newline; "" when unreadable. */
    public String comm(int pid) {
        return read(pid, "comm", 64).strip();
    }

    /** The executable path ({@code exe} link), "" when unreadable (another user's process without privileges). */
    public String exe(int pid) {
        try {
            return Files.readSymbolicLink(root.resolve(Integer.toString(pid)).resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** The command line, arguments joined by spaces, cut at {@code maxChars} characters. */
    public String cmdline(int pid, int maxChars) {
        byte[] bytes = readBytes(pid, "cmdline", maxChars * 4 + 4);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            if (bytes[i] == 0) {
                bytes[i] = ' ';
            }
        }
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        return text.length() > maxChars ? text.substring(0, maxChars) : text;
    }

    /** A field of {@code status} ("PPid", "Uid"…): its first value, "" when absent. */
    public String statusField(int pid, String name) {
        for (String line : read(pid, "status", SMALL_FILE_LIMIT).split("\n")) {
            if (line.startsWith(name + ":")) {
                String[] values = line.substring(name.length() + 1).trim().split("\\s+");
                return values.length == 0 ? "" : values[0];
            }
        }
        return "";
    }

    /** The value of one environment variable of the process, "" when absent or unreadable. */
    public String environmentVariable(int pid, String name, int maxBytes) {
        byte[] bytes = readBytes(pid, "environ", maxBytes);
        byte[] prefix = (name + "=").getBytes(StandardCharsets.UTF_8);
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == 0) {
                if (i - start > prefix.length && startsWith(bytes, start, prefix)) {
                    return new String(bytes, start + prefix.length, i - start - prefix.length, StandardCharsets.UTF_8);
                }
                start = i + 1;
            }
        }
        return "";
    }

    private static boolean startsWith(byte[] bytes, int from, byte[] prefix) {
        for (int j = 0; j < prefix.length; j++) {
            if (bytes[from + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    /** The cgroup paths of the process ({@code /proc/<pid>/cgroup}): the v2 path first, then every v1 one. */
    public List<String> cgroupPaths(int pid) {
        List<String> v1 = new ArrayList<>();
        String v2 = null;
        for (String line : read(pid, "cgroup", SMALL_FILE_LIMIT).split("\n")) {
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) {
                continue;
            }
            String path = line.substring(second + 1);
            if (line.startsWith("0::")) {
                v2 = path;
            } else {
                v1.add(path);
            }
        }
        List<String> paths = new ArrayList<>();
        if (v2 != null) {
            paths.add(v2);
        }
        paths.addAll(v1);
        return paths;
    }

    /** Boot time in seconds since the epoch ({@code btime} in {@code /proc/stat}), 0 when unknown. */
    public long bootTimeSeconds() {
        try (InputStream in = Files.newInputStream(root.resolve("stat"))) {
            for (String line : new String(in.readNBytes(1 << 20), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private String read(int pid, String file, int limit) {
        return new String(readBytes(pid, file, limit), StandardCharsets.UTF_8);
    }

    private byte[] readBytes(int pid, String file, int limit) {
        try (InputStream in = Files.newInputStream(root.resolve(Integer.toString(pid)).resolve(file))) {
            return in.readNBytes(limit);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
