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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesTaggerTest {
    static final String WEB_CONTAINER = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    static final String WEB_POD_UID = "6f1d2c3b-4a59-4e87-b6a5-0f1e2d3c4b5a";

    static final Map<String, String> WEB_TAGS = Map.ofEntries(
            Map.entry("pod_name", "web-7d4b9c8f6d-x2x9k"),
            Map.entry("kube_namespace", "shop"),
            Map.entry("kube_replica_set", "web-7d4b9c8f6d"),
            Map.entry("kube_deployment", "web"),
            Map.entry("kube_workload_kind", "Deployment"),
            Map.entry("kube_workload", "web"),
            Map.entry("kube_service", "web"),
            Map.entry("pod_label.app", "web"),
            Map.entry("pod_label.pod-template-hash", "7d4b9c8f6d"),
            Map.entry("pod_label.tier", "frontend"));
    static final Map<String, String> DB_REMOTE_TAGS = Map.of(
            "remote_pod_name", "db-0",
            "remote_kube_namespace", "shop",
            "remote_kube_stateful_set", "db",
            "remote_kube_workload_kind", "StatefulSet",
            "remote_kube_workload", "db",
            "remote_kube_service", "db,db-headless",
            "remote_pod_label.app", "db",
            "remote_pod_label.statefulset.kubernetes.io/pod-name", "db-0");

    @TempDir
    Path dir;

    static FlowIdentity flow(String local, String remote, long cgroupId) throws IOException {
        ConnectionKey key = new ConnectionKey(local.contains(":") ? Family.V6 : Family.V4, Protocol.TCP,
                InetAddress.getByName(local), 40000, InetAddress.getByName(remote), 5432, 0, 0);
        return new FlowIdentity(key, Direction.OUTGOING, "", cgroupId, List.of());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within 10 s").isTrue();
    }

    private RecordedHttpServer apiServer() throws IOException {
        return new RecordedHttpServer().requireToken("sa-token")
                .serveResource("/api/v1/pods", "/kube/kubelet-pods.json")
                .serveResource("/api/v1/services", "/kube/services.json");
    }

    private Path token() throws IOException {
        return Files.writeString(dir.resolve("token"), "sa-token\n");
    }

    @Test
    void recordedPodsGiveExactTagsOnBothEndsWithTheLocalPodFoundByContainer() throws Exception {
        Path root = Files.createDirectories(dir.resolve("cgroup"));
        Path web = Files.createDirectories(root.resolve("kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
                + WEB_POD_UID.replace('-', '_') + ".slice/cri-containerd-" + WEB_CONTAINER + ".scope"));
        long webCgroup = ((Number) Files.getAttribute(web, "unix:ino")).longValue();
        try (RecordedHttpServer server = apiServer();
                ContainerTagger containers = ContainerTagger.builder().procRoot(dir).cgroupRoot(root).build();
                KubernetesTagger tagger = KubernetesTagger.builder().containers(containers)
                        .source(KubernetesSource.apiServer(server.uri(), token(), null, Duration.ofSeconds(5))).build()) {
            await(() -> tagger.refreshes() > 0);

            // the local address is the node's: the pod is known from the container only
            Map<String, String> tags = tagger.tags(flow("192.168.1.10", "10.244.2.7", webCgroup));

            Map<String, String> expected = new java.util.HashMap<>(WEB_TAGS);
            expected.put("container_name", "web");
            expected.put("image_name", "docker.io/library/nginx:1.25");
            expected.putAll(DB_REMOTE_TAGS);
            assertThat(tags).isEqualTo(expected);
            assertThat(server.requests()).contains("GET /api/v1/pods", "GET /api/v1/services");
        }
    }

    @Test
    void podAddressesTagBothEndsAndHostNetworkPodsAreNotMatchedByAddress() throws Exception {
        try (RecordedHttpServer server = apiServer();
                KubernetesTagger tagger = KubernetesTagger.builder()
                        .source(KubernetesSource.apiServer(server.uri(), token(), null, Duration.ofSeconds(5))).build()) {
            await(() -> tagger.refreshes() > 0);

            Map<String, String> expected = new java.util.HashMap<>(WEB_TAGS);
            expected.putAll(DB_REMOTE_TAGS);
            assertThat(tagger.tags(flow("10.244.1.12", "10.244.2.7", 0))).isEqualTo(expected);
            assertThat(tagger.tags(flow("10.244.2.7", "192.168.1.10", 0)))
                    .containsEntry("pod_name", "db-0").doesNotContainKey("remote_pod_name");
            assertThat(tagger.tags(flow("fd00:10:244:2::1", "fd00:10:244:1::c", 0)))
                    .containsEntry("remote_pod_name", "web-7d4b9c8f6d-x2x9k").doesNotContainKey("pod_name");
            assertThat(tagger.tags(flow("10.244.2.7", "10.244.1.40", 0))).containsEntry("remote_kube_job", "report-29412345")
                    .containsEntry("remote_kube_cronjob", "report").containsEntry("remote_kube_workload_kind", "CronJob")
                    .containsEntry("remote_kube_workload", "report").doesNotContainKey("remote_kube_service");
            assertThat(tagger.tags(flow("172.16.0.1", "8.8.8.8", 0))).isEmpty();
            // the service's cluster IP, as the client sees it before kube-proxy translates it
            assertThat(tagger.tags(flow("10.244.1.12", "10.96.40.1", 0))).containsEntry("pod_name", "web-7d4b9c8f6d-x2x9k")
                    .containsEntry("remote_kube_service", "db").containsEntry("remote_kube_namespace", "shop")
                    .doesNotContainKey("remote_pod_name");
            assertThat(tagger.tags(flow("172.16.0.1", "10.96.77.7", 0)))
                    .isEqualTo(Map.of("remote_kube_service", "web", "remote_kube_namespace", "other"));
            assertThat(tagger.telemetry()).containsEntry(KubernetesTagger.LOOKUP_FAILURES, 0L);
        }
    }

    @Test
    void kubeletPodsNeedTheBearerTokenAndAFailedFetchKeepsThePreviousPods() throws Exception {
        try (RecordedHttpServer kubelet = new RecordedHttpServer().requireToken("sa-token")
                .serveResource("/pods", "/kube/kubelet-pods.json");
                KubernetesTagger tagger = KubernetesTagger.builder()
                        .source(KubernetesSource.kubelet(kubelet.uri(), token(), null, Duration.ofSeconds(5))).build()) {
            await(() -> tagger.refreshes() > 0);
            assertThat(tagger.tags(flow("10.244.1.12", "10.244.2.7", 0))).containsEntry("pod_name", "web-7d4b9c8f6d-x2x9k")
                    .containsEntry("kube_deployment", "web").doesNotContainKey("kube_service");

            kubelet.status("/pods", 500);
            tagger.refreshNow();
            await(() -> tagger.telemetry().get(KubernetesTagger.LOOKUP_FAILURES) == 1L);

            assertThat(tagger.tags(flow("10.244.1.12", "10.244.2.7", 0))).containsEntry("pod_name", "web-7d4b9c8f6d-x2x9k");
        }
    }

    @Test
    void wrongTokenIsAFailedLookup() throws Exception {
        Files.writeString(dir.resolve("bad"), "nope");
        try (RecordedHttpServer kubelet = new RecordedHttpServer().requireToken("sa-token")
                .serveResource("/pods", "/kube/kubelet-pods.json");
                KubernetesTagger tagger = KubernetesTagger.builder()
                        .source(KubernetesSource.kubelet(kubelet.uri(), dir.resolve("bad"), null, Duration.ofSeconds(5)))
                        .build()) {
            await(() -> tagger.telemetry().get(KubernetesTagger.LOOKUP_FAILURES) >= 1L);

            assertThat(tagger.tags(flow("10.244.1.12", "10.244.2.7", 0))).isEmpty();
            assertThat(tagger.telemetry()).containsEntry(KubernetesTagger.WORKER_ERRORS, 0L);
        }
    }

    @Test
    void podsBeyondTheCapacityAreCountedAsEvictions() throws Exception {
        try (RecordedHttpServer server = apiServer();
                KubernetesTagger tagger = KubernetesTagger.builder().maxPods(3)
                        .source(KubernetesSource.apiServer(server.uri(), token(), null, Duration.ofSeconds(5))).build()) {
            await(() -> tagger.refreshes() > 0);

            assertThat(tagger.telemetry()).containsEntry(KubernetesTagger.CACHE_EVICTIONS, 1L);
            assertThat(tagger.tags(flow("10.244.2.7", "10.244.1.40", 0))).doesNotContainKey("remote_pod_name");
        }
    }
}
