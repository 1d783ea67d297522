package io.cnm4j.tagging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Direction;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.Tagger;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.internal.EbpfHostCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the kernel: inside a runc container (own network namespace and cgroup),
 * {@code wget} fetches from {@code httpd} on the container's loopback and exits; the eBPF backend
 * reports the connection, and the taggers name the container and the process that has exited,
 * from the process name and cgroup id the kernel captured
 * ({@code ConnectionEvent.commBytes()/commWritten()} and {@code cgroupId(long)}). Needs root,
 * runc and eBPF.
 */
class RuncConnectionIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void needs() {
        RootTests.requireRoot();
        Optional<String> problem = EbpfHostCheck.problem();
        RootTests.require(problem.isEmpty(), "eBPF unavailable: " + problem.orElse(""));
    }

    /** Remembers what the kernel told about each flow. */
    private static final class IdentityRecorder implements Tagger {
        final List<FlowIdentity> seen = new CopyOnWriteArrayList<>();

        @Override
        public Map<String, String> tags(ConnectionKey key) {
            return Map.of();
        }

        @Override
        public Map<String, String> tags(FlowIdentity flow) {
            seen.add(flow);
            return Map.of();
        }
    }

    @Test
    void connectionFromInsideTheContainerCarriesTheContainerIdAndTheExitedClientsName() throws Exception {
        IdentityRecorder recorder = new IdentityRecorder();
        MonitorConfig config = MonitorConfig.builder().backend(LinuxEbpfBackendProvider.NAME).build();
        try (ContainerTagger containers = ContainerTagger.create();
                NetworkMonitor monitor = NetworkMonitor.builder().config(config)
                        .taggers(ProcessTagger.create(), containers, recorder).build()) {
            FlowClient client = monitor.registerClient("it");
            monitor.start();
            client.poll();

            try (RuncContainer container = RuncContainer.start(dir, "tag-runc-e2e",
                    "ip link set lo up && httpd -p 127.0.0.1:8080 -h /www && sleep 0.3"
                            + " && wget -q -O /dev/null http://127.0.0.1:8080/index.html && echo fetched && exec sleep 30")) {
                container.awaitOutput("fetched", Duration.ofSeconds(10));
                long netns = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/" + container.pid() + "/ns/net"))
                        .toString().replaceAll("\\D", ""));
                long cgroupId = RootTests.inode(RootTests.cgroup2().resolve("tag-runc-e2e").resolve(container.id));

                ConnectionStats wget = awaitOutgoing(client, netns, Duration.ofSeconds(10));

                FlowIdentity identity = recorder.seen.stream().filter(f -> f.key().equals(wget.key())).findFirst()
                        .orElseThrow();
                if (identity.processName().isEmpty() || identity.cgroupId() == 0) {
                    fail("the eBPF backend did not capture the process name and cgroup id of the flow (ConnectionEvent"
                            + " comm / cgroupId unset): " + identity);
                }
                assertThat(identity.processName()).isEqualTo("wget");
                assertThat(identity.cgroupId()).isEqualTo(cgroupId);
                assertThat(wget.tags()).containsEntry("container_id", container.id).containsEntry("process_name", "wget");
            }
        }
    }

    private static ConnectionStats awaitOutgoing(FlowClient client, long netns, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConnectionStats c : client.poll().connections()) {
                if (c.key().netns() == netns && c.direction() == Direction.OUTGOING && c.key().remotePort() == 8080) {
                    return c;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no outgoing connection to port 8080 in network namespace " + netns);
    }
}
