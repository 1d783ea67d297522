package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.linux.internal.CgroupMounts;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
