package io.cnm4j.tagging;

import static io.cnm4j.tagging.KubernetesTaggerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.replay.ReplayBackendProvider;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the monitor: replayed connections between two pods, recorded API server JSON, CIDR
 * zones; the delivered connections, their JSON lines and the aggregation by workload are exact.
 */
class TaggedSnapshotTest {
    private static final String WEB = "\"laddr\":\"10.244.1.12\",\"raddr\":\"10.244.2.7\",\"lport\":41000,\"rport\":5432,"
            + "\"direction\":\"outgoing\"";
    private static final String DB = "\"laddr\":\"10.244.2.7\",\"raddr\":\"10.244.1.12\",\"lport\":5432,\"rport\":41000,"
            + "\"direction\":\"incoming\"";

    @TempDir
    Path dir;

    private static String closed(int cookie, String tuple, String comm, long sent, long recv, long packets, long rtt) {
        return "{\"event\":\"closed\",\"cookie\":" + cookie + ",\"proto\":\"tcp\",\"family\":\"v4\"," + tuple
                + ",\"pid\":2147483000,\"comm\":\"" + comm + "\",\"netns\":1,\"bytes_sent\":" + sent + ",\"bytes_recv\":"
                + recv + ",\"packets_sent\":" + packets + ",\"packets_recv\":" + packets + ",\"rtt_us\":" + rtt
                + ",\"established\":true,\"start_ns\":1000000000,\"ts_ns\":2000000000}";
    }

    @Test
    void bothEndsOfPodTrafficAreTaggedInSnapshotsJsonLinesAndAggregates() throws Exception {
        List<String> lines = List.of(
                closed(1, WEB, "web-client", 100, 1000, 5, 300),
                closed(2, WEB.replace("41000", "41001"), "web-client", 50, 500, 15, 100),
                closed(3, DB, "postgres", 1000, 100, 5, 0),
                "{\"event\":\"tick\"}");
        Path token = Files.writeString(dir.resolve("token"), "sa-token");
        try (RecordedHttpServer api = new RecordedHttpServer().requireToken("sa-token")
                .serveResource("/api/v1/pods", "/kube/kubelet-pods.json")
                .serveResource("/api/v1/services", "/kube/services.json");
                KubernetesTagger kube = KubernetesTagger.builder()
                        .source(KubernetesSource.apiServer(api.uri(), token, null, Duration.ofSeconds(5))).build();
                NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(lines))
                        .taggers(ProcessTagger.create(), kube,
                                CidrTagger.builder().rule("10.244.1.0/24 zone:a").rule("10.244.2.0/24 zone:b").build())
                        .build()) {
            await(() -> kube.refreshes() > 0);
            FlowClient client = monitor.registerClient("test");
            monitor.start();

            FlowSnapshot snapshot = client.poll();

            ConnectionStats web = snapshot.connections().stream().filter(c -> c.key().localPort() == 41000).findFirst()
                    .orElseThrow();
            assertThat(web.tags()).containsEntry("process_name", "web-client")
                    .containsEntry("pod_name", "web-7d4b9c8f6d-x2x9k").containsEntry("kube_deployment", "web")
                    .containsEntry("remote_pod_name", "db-0").containsEntry("remote_kube_stateful_set", "db")
                    .containsEntry("remote_kube_service", "db,db-headless")
                    .containsEntry("zone", "a").containsEntry("remote_zone", "b");
            StringWriter json = new StringWriter();
            try (FlowJsonWriter writer = FlowJsonWriter.to(json)) {
                writer.writeConnection(web, snapshot.timestamp());
            }
            assertThat(json.toString()).contains("\"tags\":{\"kube_deployment\":\"web\",\"kube_namespace\":\"shop\","
                    + "\"kube_replica_set\":\"web-7d4b9c8f6d\",\"kube_service\":\"web\",\"kube_workload\":\"web\","
                    + "\"kube_workload_kind\":\"Deployment\",\"pod_label.app\":\"web\","
                    + "\"pod_label.pod-template-hash\":\"7d4b9c8f6d\",\"pod_label.tier\":\"frontend\","
                    + "\"pod_name\":\"web-7d4b9c8f6d-x2x9k\",\"process_name\":\"web-client\",");

            List<TrafficGroup> byWorkload = TrafficAggregation.by("kube_workload").aggregate(snapshot);
            assertThat(byWorkload).containsExactly(new TrafficGroup(Map.of("kube_workload", "web"),
                    Map.of("kube_workload", "db"), 3, 100 + 50 + 100, 1000 + 500 + 1000, 5 + 15 + 5, 5 + 15 + 5,
                    0, 3, 3, Map.of(), Math.round((300.0 * 10 + 100.0 * 30) / 40)));
            assertThat(TrafficAggregation.by("zone").aggregate(snapshot)).singleElement()
                    .satisfies(g -> assertThat(g.crossing()).isTrue());
        }
    }
}
