package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.linux.internal.CgroupMounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cgroup hooks see every process only when attached to the hierarchy's root: a subtree (what
 * a container with a private cgroup namespace mounts) is told apart, so Capabilities can say so.
 */
class CgroupScopeIT {
    @Test
    void onlyTheHierarchysRootCountsAsTheRoot() throws Exception {
        KernelTestSupport.requireEbpf();
        Path mount = CgroupMounts.cgroup2().orElseThrow();
        Path child = mount.resolve("cnmit-scope" + ProcessHandle.current().pid());
        Files.createDirectories(child);
        try {
            assertThat(CgroupMounts.isHierarchyRoot(mount)).isTrue();
            assertThat(CgroupMounts.isHierarchyRoot(child)).isFalse();
            assertThat(CgroupMounts.isHierarchyRoot(mount.resolve("no-such-cgroup"))).isFalse();
        } finally {
            Files.delete(child);
        }
    }

    /** The root of a tmpfs has inode 1 like the hierarchy's root; a hybrid host mounts one at /sys/fs/cgroup. */
    @Test
    void theRootOfAnotherFileSystemIsNotTheHierarchysRoot() throws Exception {
        KernelTestSupport.requireEbpf();
        Path tmpfs = Files.createDirectories(Path.of("/run", "cnmit-cgroup-tmpfs" + ProcessHandle.current().pid()));
        try {
            TestNamespaces.run("mount", "-t", "tmpfs", "tmpfs", tmpfs.toString());
            try {
                assertThat(Files.getAttribute(tmpfs, "unix:ino")).isEqualTo(1L);
                assertThat(CgroupMounts.isHierarchyRoot(tmpfs)).isFalse();
            } finally {
                TestNamespaces.run("umount", tmpfs.toString());
            }
        } finally {
            Files.deleteIfExists(tmpfs);
        }
    }

    /** A subtree mounted on its own (as inside a container) gives way to a path that reaches the root. */
    @Test
    void programsAttachToTheHierarchysRootWhenAnyWayReachesIt() throws Exception {
        KernelTestSupport.requireEbpf();
        Path mount = CgroupMounts.cgroup2().orElseThrow();
        String run = Long.toString(ProcessHandle.current().pid());
        Path child = Files.createDirectories(mount.resolve("cnmit-attach" + run));
        Path subtreeMount = Files.createDirectories(Path.of("/run", "cnmit-cgroup-subtree" + run));
        try {
            TestNamespaces.run("mount", "--bind", child.toString(), subtreeMount.toString());
            try {
                assertThat(CgroupMounts.isHierarchyRoot(subtreeMount)).isFalse();
                assertThat(CgroupMounts.attachPoint(subtreeMount, List.of(Path.of("/nonexistent"), mount)))
                        .isEqualTo(mount);
                assertThat(CgroupMounts.attachPoint(subtreeMount, List.of(Path.of("/nonexistent"))))
                        .isEqualTo(subtreeMount);
                assertThat(CgroupMounts.attachPoint(mount, List.of(subtreeMount))).isEqualTo(mount);
            } finally {
                TestNamespaces.run("umount", subtreeMount.toString());
            }
        } finally {
            Files.deleteIfExists(subtreeMount);
            Files.deleteIfExists(child);
        }
    }
}
