package io.cnm4j.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerTaggerTest {
    static final String DOCKER_ID = "0c5a4e2f9b7d61c3a8e04f2b6d9c1a7e5f3b8d0c2a4e6f8b1d3c5a7e9f0b2d4c";
    static final String CONTAINERD_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    static final String POD_UID = "6f1d2c3b-4a59-4e87-b6a5-0f1e2d3c4b5a";

    @TempDir
    Path dir;

    static FlowIdentity flow(int pid, long cgroupId) {
        ConnectionKey key = new ConnectionKey(Family.V4, Protocol.TCP, InetAddress.getLoopbackAddress(), 40000,
                InetAddress.getLoopbackAddress(), 80, pid, 0);
        return new FlowIdentity(key, Direction.OUTGOING, "", cgroupId, List.of());
    }

    private static long inode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }

    private Path cgroupRoot() throws IOException {
        return Files.createDirectories(dir.resolve("cgroup"));
    }

    @Test
    void cgroupIdResolvesThroughTheIndexForDockerAndContainerd() throws IOException {
        Path root = cgroupRoot();
        Path docker = Files.createDirectories(root.resolve("system.slice/docker-" + DOCKER_ID + ".scope"));
        Path pod = Files.createDirectories(root.resolve("kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                + POD_UID.replace('-', '_') + ".slice/cri-containerd-" + CONTAINERD_ID + ".scope"));
        Path host = Files.createDirectories(root.resolve("system.slice/sshd.service"));
        try (ContainerTagger tagger = ContainerTagger.builder().procRoot(dir.resolve("proc")).cgroupRoot(root).build()) {
            assertThat(tagger.tags(flow(0, inode(docker))))
                    .isEqualTo(Map.of("container_id", DOCKER_ID, "container_runtime", "docker"));
            assertThat(tagger.container(flow(0, inode(pod))))
                    .contains(new ContainerRef(CONTAINERD_ID, "containerd", POD_UID));
            assertThat(tagger.tags(flow(0, inode(host)))).isEmpty();
            assertThat(tagger.telemetry()).containsEntry(ContainerTagger.LOOKUP_FAILURES, 0L);
        }
    }

    @Test
    void cgroupCreatedAfterTheWalkIsFoundAfterABackgroundWalkAndTheMissIsCounted() throws Exception {
        Path root = cgroupRoot();
        try (ContainerTagger tagger = ContainerTagger.builder().procRoot(dir.resolve("proc")).cgroupRoot(root).build()) {
            Path late = Files.createDirectories(root.resolve("docker/" + DOCKER_ID));

            assertThat(tagger.tags(flow(0, inode(late)))).isEmpty();
            assertThat(tagger.telemetry()).containsEntry(ContainerTagger.LOOKUP_FAILURES, 1L);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tagger.walks() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(tagger.tags(flow(0, inode(late))))
                    .isEqualTo(Map.of("container_id", DOCKER_ID, "container_runtime", "docker"));
        }
    }

    @Test
    void withoutCgroupIdThePidsCgroupFileIsReadForV1AndV2Layouts() throws IOException {
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc.resolve("100"));
        Files.createDirectories(proc.resolve("200"));
        // cgroup v1 (several hierarchies) and v2 (one line) as the kernel prints them
        Files.writeString(proc.resolve("100/cgroup"), "12:memory:/docker/" + DOCKER_ID + "\n11:cpu,cpuacct:/docker/"
                + DOCKER_ID + "\n1:name=systemd:/docker/" + DOCKER_ID + "\n");
        Files.writeString(proc.resolve("200/cgroup"), "0::/kubepods/besteffort/pod" + POD_UID + "/" + CONTAINERD_ID + "\n");
        Files.writeString(proc.resolve("mounts"), "proc /proc proc rw 0 0\n");
        try (ContainerTagger tagger = ContainerTagger.builder().procRoot(proc).build()) {
            assertThat(tagger.tags(flow(100, 0))).isEqualTo(Map.of("container_id", DOCKER_ID, "container_runtime", "docker"));
            assertThat(tagger.container(flow(200, 0))).contains(new ContainerRef(CONTAINERD_ID, "containerd", POD_UID));
            assertThat(tagger.tags(flow(300, 0))).isEmpty();
            assertThat(tagger.telemetry()).containsEntry(ContainerTagger.LOOKUP_FAILURES, 1L);
        }
    }

    @Test
    void cgroup2MountIsFoundInTheMountsTable() throws IOException {
        Path mounts = Files.writeString(dir.resolve("mounts"), "sysfs /sys sysfs rw 0 0\n"
                + "tmpfs /sys/fs/cgroup tmpfs ro,nosuid 0 0\n"
                + "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n"
                + "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n");

        assertThat(io.cnm4j.tagging.internal.CgroupIndex.cgroup2Mount(mounts)).contains(Path.of("/sys/fs/cgroup/unified"));
        assertThat(io.cnm4j.tagging.internal.CgroupIndex.cgroup2Mount(Files.writeString(dir.resolve("v1"),
                "cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n"))).isEmpty();
    }

    @Test
    void containerNameAndImageComeFromTheRuntimeSocketInTheBackground() throws Exception {
        Path root = cgroupRoot();
        Path docker = Files.createDirectories(root.resolve("docker/" + DOCKER_ID));
        String inspect = "{\"Id\":\"" + DOCKER_ID + "\",\"Created\":\"2026-12-01T10:00:00Z\",\"Path\":\"nginx\","
                + "\"State\":{\"Status\":\"running\",\"Pid\":4321},\"Name\":\"/web-1\",\"RestartCount\":0,"
                + "\"Mounts\":[],\"Config\":{\"Hostname\":\"0c5a4e2f9b7d\",\"Env\":[\"PATH=/usr/bin\"],"
                + "\"Image\":\"nginx:1.25\",\"Labels\":{\"com.example\":\"x\"}},\"NetworkSettings\":{\"Networks\":{}}}";
        try (UnixHttpServer server = new UnixHttpServer(dir.resolve("docker.sock"),
                Map.of("/containers/" + DOCKER_ID + "/json", inspect));
                ContainerTagger tagger = ContainerTagger.builder().procRoot(dir.resolve("proc")).cgroupRoot(root)
                        .runtime(ContainerRuntimeClient.dockerSocket(server.path(), Duration.ofSeconds(2))).build()) {
            assertThat(tagger.tags(flow(0, inode(docker))))
                    .isEqualTo(Map.of("container_id", DOCKER_ID, "container_runtime", "docker"));

            Map<String, String> expected = Map.of("container_id", DOCKER_ID, "container_runtime", "docker",
                    "container_name", "web-1", "image_name", "nginx:1.25");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!tagger.tags(flow(0, inode(docker))).equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(tagger.tags(flow(0, inode(docker)))).isEqualTo(expected);
            assertThat(server.requests()).containsExactly("GET /containers/" + DOCKER_ID + "/json HTTP/1.0");
        }
    }

    @Test
    void unreachableRuntimeIsCountedAndNeverBlocksTheCaller() throws Exception {
        Path root = cgroupRoot();
        Path docker = Files.createDirectories(root.resolve("docker/" + DOCKER_ID));
        try (ContainerTagger tagger = ContainerTagger.builder().procRoot(dir.resolve("proc")).cgroupRoot(root)
                .runtime(ContainerRuntimeClient.dockerSocket(dir.resolve("absent.sock"), Duration.ofSeconds(2))).build()) {
            long start = System.nanoTime();
            assertThat(tagger.tags(flow(0, inode(docker)))).containsEntry("container_id", DOCKER_ID);
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofMillis(500).toNanos());

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tagger.telemetry().get(ContainerTagger.LOOKUP_FAILURES) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(tagger.telemetry()).containsEntry(ContainerTagger.LOOKUP_FAILURES, 1L)
                    .containsEntry(ContainerTagger.WORKER_ERRORS, 0L);
        }
    }
}
