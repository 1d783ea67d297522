package io.cnm4j.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds where the cgroup v2 hierarchy is mounted, from {@code /proc/mounts}, and which part of it
 * the mount shows, from {@code /proc/self/mountinfo}.
 */
public final class CgroupMounts {
    private CgroupMounts() {
    }

    /** The first {@code cgroup2} mount point in a mounts table, if any. */
    public static Optional<Path> cgroup2(List<String> mountLines) {
        for (String line : mountLines) {
            String[] fields = line.split(" ");
            if (fields.length >= 3 && fields[2].equals("cgroup2")) {
                // /proc/mounts escapes spaces and other specials as octal (\040)
                return Optional.of(Path.of(unescape(fields[1])));
            }
        }
        return Optional.empty();
    }

    /** The cgroup v2 mount point of this host, if mounted. */
    public static Optional<Path> cgroup2() {
        try {
            return cgroup2(Files.readAllLines(Path.of("/proc/mounts")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The cgroup the {@code cgroup2} mount shows as its root, from a mountinfo table: {@code "/"}
     * for the whole hierarchy; a deeper path inside a container with a private cgroup namespace,
     * where programs attached to the mount's root see only that subtree.
     */
    public static Optional<String> cgroup2Root(List<String> mountinfoLines) {
        for (String line : mountinfoLines) {
            int separator = line.indexOf(" - ");
            String[] fields = line.split(" ");
            if (separator > 0 && fields.length > 4 && line.substring(separator + 3).startsWith("cgroup2 ")) {
                return Optional.of(unescape(fields[3]));
            }
        }
        return Optional.empty();
    }

    /** The cgroup this process's cgroup v2 mount shows as its root, if mounted. */
    public static Optional<String> cgroup2Root() {
        try {
            return cgroup2Root(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
