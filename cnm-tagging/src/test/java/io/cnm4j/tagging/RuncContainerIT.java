package io.cnm4j.tagging;

import static io.cnm4j.tagging.ContainerTaggerTest.flow;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Protocol;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real runc container (busybox-static, own namespaces and cgroup): its process is tagged with
 * the runc container id, from the cgroup id and from its PID, and with its process facts. Needs
 * root and runc; captures nothing (see {@link RuncConnectionIT} for the kernel end to end).
 */
class RuncContainerIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsRoot() {
        RootTests.requireRoot();
    }

    @Test
    void containerProcessIsTaggedWithTheRuncIdAndItsProcessFacts() throws Exception {
        try (RuncContainer container = RuncContainer.start(dir, "tag-runc-it", "echo started && exec sleep 30")) {
            container.awaitOutput("started", Duration.ofSeconds(10));
            int pid = container.pid();
            long cgroupId = RootTests.inode(RootTests.cgroup2().resolve("tag-runc-it").resolve(container.id));
            // exec replaces the shell: wait until the kernel calls the process sleep
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals("sleep")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            try (ContainerTagger containers = ContainerTagger.create()) {
                assertThat(containers.tags(flow(0, cgroupId))).isEqualTo(Map.of("container_id", container.id));
                assertThat(containers.tags(flow(pid, 0))).isEqualTo(Map.of("container_id", container.id));
            }
            ConnectionKey key = new ConnectionKey(Family.V4, Protocol.TCP, InetAddress.getLoopbackAddress(), 1,
                    InetAddress.getLoopbackAddress(), 2, pid, 0);
            Map<String, String> process = ProcessTagger.builder().serviceRule(ServiceRule.none()).build()
                    .tags(new FlowIdentity(key, Direction.OUTGOING, "sleep", cgroupId, List.of()));
            assertThat(process).containsEntry("process_name", "sleep")
                    .containsEntry("process_exe", "/bin/busybox")
                    .containsEntry("process_cmdline", "sleep 30")
                    .containsEntry("process_user", "root")
                    .containsKeys("process_ppid", "process_start_time");
        }
    }
}
