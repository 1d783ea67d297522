package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupMountsTest {
    @Test
    void findsTheCgroup2MountWhereverItIs() {
        List<String> mounts = List.of(
                "proc /proc proc rw,nosuid 0 0",
                "cgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0",
                "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,nosuid 0 0");

        assertThat(CgroupMounts.cgroup2(mounts)).contains(Path.of("/sys/fs/cgroup/unified"));
    }

    @Test
    void unescapesOctalSpacesAndReportsAbsence() {
        assertThat(CgroupMounts.cgroup2(List.of("none /mnt/my\\040cgroup cgroup2 rw 0 0")))
                .contains(Path.of("/mnt/my cgroup"));
        assertThat(CgroupMounts.cgroup2(List.of("cgroup /sys/fs/cgroup/cpu cgroup rw 0 0"))).isEmpty();
    }
}
