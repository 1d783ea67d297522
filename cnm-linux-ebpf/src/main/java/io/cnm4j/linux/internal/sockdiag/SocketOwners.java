package io.cnm4j.linux.internal.sockdiag;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Socket inode → pid, from the {@code socket:[inode]} links in {@code /proc/<pid>/fd}. Only
 * processes whose descriptors this user may read are seen (its own, or all with
 * CAP_SYS_PTRACE); other sockets get pid 0. The whole of {@code /proc} is scanned at most once
 * per poll, and only when a socket's owner is unknown. Used by the collecting thread only.
 */
final class SocketOwners {
    private static final Path PROC = Path.of("/proc");
    private static final int MAX_PROCESSES_SCANNED = 100_000;

    private Map<Long, Integer> owners = new HashMap<>();
    private boolean scannedThisPoll;
    private long scans;

    /** A new poll begins: the next unknown inode may trigger a scan again. */
    void beginPoll() {
        scannedThisPoll = false;
    }

    /** The pid holding the socket, 0 when not visible. */
    int pidOf(long inode) {
        Integer pid = owners.get(inode);
        if (pid == null && !scannedThisPoll) {
            scan();
            pid = owners.get(inode);
        }
        return pid == null ? 0 : pid;
    }

    private void scan() {
        scannedThisPoll = true;
        scans++;
        Map<Long, Integer> found = new HashMap<>(Math.max(16, owners.size() * 2));
        int processes = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0)) || ++processes > MAX_PROCESSES_SCANNED) {
                    continue;
                }
                descriptors(entry.resolve("fd"), Integer.parseInt(name), found);
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: sockets keep pid 0
        }
        owners = found;
    }

    private static void descriptors(Path fdDirectory, int pid, Map<Long, Integer> into) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDirectory)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    into.putIfAbsent(Long.parseLong(target.substring(8, target.length() - 1)), pid);
                }
            }
        } catch (IOException | RuntimeException notVisible) {
            // another user's process, or one that exited: its sockets stay without pid
        }
    }

    /** Scans of /proc since creation. */
    long scans() {
        return scans;
    }
}
