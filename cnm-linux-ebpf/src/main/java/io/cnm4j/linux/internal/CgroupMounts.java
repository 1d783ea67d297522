package io.cnm4j.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds where the cgroup v2 hierarchy is mounted, from {@code /proc/mounts}, and whether the mount
 * shows the whole hierarchy.
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

    /** Why the eBPF backend cannot run when {@link #cgroup2()} finds no mount, and what to do. */
    static final String NOT_MOUNTED = "cgroup v2 is not mounted (no cgroup2 entry in /proc/mounts): mount it, e.g. "
            + "mount -t cgroup2 none /sys/fs/cgroup";

    /** The cgroup v2 mount point of this host, if mounted. */
    public static Optional<Path> cgroup2() {
        try {
            return cgroup2(Files.readAllLines(Path.of("/proc/mounts")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The inode of the cgroup v2 hierarchy's root directory (the root cgroup's id). */
    static final long ROOT_CGROUP_INODE = 1;

    /**
     * Whether a directory is the root of the whole cgroup v2 hierarchy. Inside a container whose
     * cgroup namespace is private, the cgroup2 mount shows only the container's subtree, and
     * programs attached there see only its processes. The root of any other kernfs or tmpfs mount
     * has inode 1 too (the tmpfs at {@code /sys/fs/cgroup} of a hybrid v1/v2 host), so only a
     * directory with the cgroup v2 interface file {@code cgroup.controllers} counts.
     */
    public static boolean isHierarchyRoot(Path cgroupDirectory) {
        try {
            return ((Number) Files.getAttribute(cgroupDirectory, "unix:ino")).longValue() == ROOT_CGROUP_INODE
                    && Files.isRegularFile(cgroupDirectory.resolve("cgroup.controllers"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Where to attach cgroup programs: the first of the mount and the other ways to the hierarchy
     * that reaches its root, or the mount itself when none does. A container that shares the
     * host's PID namespace reaches the host's mount through {@code /proc/1/root}.
     */
    public static Path attachPoint(Path mount, List<Path> otherWays) {
        if (isHierarchyRoot(mount)) {
            return mount;
        }
        for (Path way : otherWays) {
            if (isHierarchyRoot(way)) {
                return way;
            }
        }
        return mount;
    }

    /** {@link #attachPoint(Path, List)} with the host's usual mount points seen through {@code /proc/1/root}. */
    public static Path attachPoint(Path mount) {
        Path hostRoot = Path.of("/proc/1/root");
        return attachPoint(mount, List.of(hostRoot.resolve(mount.toString().substring(1)),
                hostRoot.resolve("sys/fs/cgroup"), hostRoot.resolve("sys/fs/cgroup/unified")));
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
