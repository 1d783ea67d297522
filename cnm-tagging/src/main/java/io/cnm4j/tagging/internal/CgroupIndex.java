package io.cnm4j.tagging.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * cgroup v2 id → cgroup path. The id the kernel reports ({@code bpf_get_current_cgroup_id}) is
 * the inode number of the cgroup's directory in the cgroup2 mount, so the index is built by
 * walking that mount, bounded in depth and entries. The map is swapped whole after each walk
 * (readers never see a half-built one); {@link #refresh()} is meant for a background thread.
 */
public final class CgroupIndex {
    private static final int MAX_DEPTH = 32;

    private final Path root;
    private final int maxEntries;
    private volatile Map<Long, String> paths = Map.of();
    private volatile boolean truncated;

    public CgroupIndex(Path root, int maxEntries) {
        this.root = root;
        this.maxEntries = maxEntries;
    }

    /**
     * The cgroup2 mount point named in a mounts table ({@code /proc/mounts}): the first line of
     * type {@code cgroup2} ({@code /sys/fs/cgroup} on unified hosts, {@code /sys/fs/cgroup/unified}
     * on hybrid ones). Empty on cgroup v1-only hosts.
     */
    public static Optional<Path> cgroup2Mount(Path mounts) {
        try {
            for (String line : Files.readAllLines(mounts, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length >= 3 && fields[2].equals("cgroup2")) {
                    // mount points escape spaces as \040
                    return Optional.of(Path.of(fields[1].replace("\\040", " ")));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    public Path root() {
        return root;
    }

    /** The path of a cgroup id relative to the mount ("/system.slice/x.scope"), if the last walk saw it. */
    public Optional<String> path(long cgroupId) {
        return Optional.ofNullable(paths.get(cgroupId));
    }

    /** Walks the mount again and replaces the index. */
    public void refresh() throws IOException {
        Map<Long, String> next = new HashMap<>();
        boolean[] full = {false};
        Files.walkFileTree(root, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        if (next.size() >= maxEntries) {
                            full[0] = true;
                            return FileVisitResult.TERMINATE;
                        }
                        Object inode = Files.getAttribute(dir, "unix:ino");
                        String relative = root.relativize(dir).toString();
                        next.put(((Number) inode).longValue(), "/" + relative);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        // a cgroup removed during the walk
                        return FileVisitResult.CONTINUE;
                    }
                });
        paths = Map.copyOf(next);
        truncated = full[0];
    }

    /** Cgroups indexed by the last walk. */
    public int size() {
        return paths.size();
    }

    /** Whether the last walk stopped at the entry limit. */
    public boolean truncated() {
        return truncated;
    }
}
