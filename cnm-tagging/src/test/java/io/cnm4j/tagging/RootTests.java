package io.cnm4j.tagging;

import static org.junit.jupiter.api.Assertions.fail;

import io.cnm4j.tagging.internal.CgroupIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What the root integration tests need: root, the cgroup2 mount, runc. Where a need is missing the
 * test is skipped with the reason, except under CI ({@code CI=true}), where it fails: CI must
 * exercise the real thing.
 */
final class RootTests {
    private RootTests() {
    }

    static void require(boolean condition, String problem) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("must run in CI but cannot: " + problem);
        }
        Assumptions.abort(problem);
    }

    static void requireRoot() {
        require("root".equals(System.getProperty("user.name")), "needs root to create cgroups and run containers");
    }

    /** The cgroup2 mount of this host. */
    static Path cgroup2() {
        Optional<Path> mount = CgroupIndex.cgroup2Mount(Path.of("/proc/mounts"));
        require(mount.isPresent(), "no cgroup2 mount in /proc/mounts");
        return mount.get();
    }

    static long inode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }

    /** A random 64-hex-digit id, as Docker, containerd and runc users make them. */
    static String containerId() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
