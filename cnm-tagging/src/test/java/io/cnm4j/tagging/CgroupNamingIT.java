package io.cnm4j.tagging;

import static io.cnm4j.tagging.ContainerTaggerTest.flow;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real cgroups named as Docker (systemd driver) and containerd's CRI plugin (cgroupfs driver)
 * name them, with a live process moved into each: the tagger finds the container from the
 * kernel's cgroup id and from {@code /proc/<pid>/cgroup}. Needs root.
 */
class CgroupNamingIT {
    private static final String POD_UID = "0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";

    @BeforeAll
    static void needsRoot() {
        RootTests.requireRoot();
    }

    /** Runs {@code sleep} inside a new cgroup at {@code relative} under the cgroup2 mount. */
    private static void withProcessIn(String relative, ProcessCheck check) throws Exception {
        Path root = RootTests.cgroup2();
        Path cgroup = Files.createDirectories(root.resolve(relative));
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(sleep.pid()));
            check.run((int) sleep.pid(), RootTests.inode(cgroup));
        } finally {
            sleep.destroyForcibly();
            sleep.waitFor(5, TimeUnit.SECONDS);
            // the process is gone: the now empty cgroups can be removed, deepest first
            for (Path p = cgroup; !p.equals(root); p = p.getParent()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @FunctionalInterface
    private interface ProcessCheck {
        void run(int pid, long cgroupId) throws Exception;
    }

    private static boolean awaitTags(ContainerTagger tagger, int pid, long cgroupId, Map<String, String> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (tagger.tags(flow(0, cgroupId)).equals(expected)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void dockerSystemdScopeIsRecognisedByCgroupIdAndByPid() throws Exception {
        String id = RootTests.containerId();
        withProcessIn("tag-it.slice/docker-" + id + ".scope", (pid, cgroupId) -> {
            Map<String, String> expected = Map.of("container_id", id, "container_runtime", "docker");
            try (ContainerTagger tagger = ContainerTagger.create()) {
                assertThat(tagger.tags(flow(0, cgroupId))).isEqualTo(expected);
                assertThat(tagger.tags(flow(pid, 0))).isEqualTo(expected);
                assertThat(tagger.telemetry()).containsEntry(ContainerTagger.LOOKUP_FAILURES, 0L);
            }
        });
    }

    @Test
    void containerdCriCgroupCreatedAfterTheTaggerIsFoundByABackgroundWalk() throws Exception {
        String id = RootTests.containerId();
        try (ContainerTagger tagger = ContainerTagger.create()) {
            withProcessIn("tag-kubepods/besteffort/pod" + POD_UID + "/" + id, (pid, cgroupId) -> {
                assertThat(tagger.container(flow(pid, 0))).contains(new ContainerRef(id, "containerd", POD_UID));
                // the id is newer than the first walk: the pid answers now, the walk later
                assertThat(awaitTags(tagger, 0, cgroupId, Map.of("container_id", id, "container_runtime", "containerd")))
                        .as("cgroup id %d resolved after a background walk", cgroupId).isTrue();
                assertThat(tagger.telemetry().get(ContainerTagger.LOOKUP_FAILURES)).isGreaterThanOrEqualTo(1L);
            });
        }
    }

    @Test
    void hostProcessIsNotAContainer() throws IOException {
        try (ContainerTagger tagger = ContainerTagger.create()) {
            int self = (int) ProcessHandle.current().pid();
            assertThat(tagger.tags(flow(self, 0))).doesNotContainKey("container_runtime");
        }
    }
}
