package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.replay.ReplayBackendProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TaggerIdentityTest {
    private static final String TUPLE = "\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":40000,"
            + "\"raddr\":\"10.0.0.2\",\"rport\":443,\"netns\":4026531840,\"direction\":\"outgoing\","
            + "\"start_ns\":1000000000,\"ts_ns\":2000000000";

    /** Records what it was asked and tags with the process facts it saw. */
    private static final class RecordingTagger implements Tagger {
        final List<FlowIdentity> seen = new CopyOnWriteArrayList<>();

        @Override
        public Map<String, String> tags(ConnectionKey key) {
            return Map.of("only", "key");
        }

        @Override
        public Map<String, String> tags(FlowIdentity flow) {
            seen.add(flow);
            return Map.of("comm", flow.processName(), "cg", Long.toString(flow.cgroupId()));
        }

        @Override
        public Map<String, Long> telemetry() {
            return Map.of("recording_calls", (long) seen.size());
        }

        @Override
        public List<TelemetryCounter> telemetryCounters() {
            return List.of(TelemetryCounter.activity("recording_calls", "calls the tagger recorded"));
        }
    }

    @Test
    void kernelProcessNameAndCgroupReachTheTaggerAfterTheProcessFactsArrive() {
        // the first event has no pid (an incoming flow before any process context), the second
        // brings pid, comm and cgroup; a later event with another comm does not rename the flow
        List<String> lines = List.of(
                "{\"event\":\"update\",\"cookie\":7," + TUPLE + ",\"bytes_sent\":1}",
                "{\"event\":\"update\",\"cookie\":7," + TUPLE + ",\"bytes_sent\":2,\"pid\":42,"
                        + "\"comm\":\"curl-with-a-very-long-name\",\"cgroup_id\":9001}",
                "{\"event\":\"tick\"}",
                "{\"event\":\"closed\",\"cookie\":7," + TUPLE + ",\"bytes_sent\":5,\"pid\":42,\"comm\":\"other\"}",
                "{\"event\":\"tick\"}");
        RecordingTagger tagger = new RecordingTagger();
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(lines))
                .taggers(tagger).build()) {
            FlowClient client = monitor.registerClient("c");
            monitor.start();

            FlowSnapshot first = client.poll();
            FlowSnapshot second = client.poll();

            assertThat(first.connections()).singleElement().satisfies(c -> {
                assertThat(c.key().pid()).isEqualTo(42);
                assertThat(c.tags()).isEqualTo(Map.of("comm", "curl-with-a-very", "cg", "9001"));
            });
            assertThat(second.connections()).singleElement()
                    .satisfies(c -> assertThat(c.tags()).isEqualTo(Map.of("comm", "curl-with-a-very", "cg", "9001")));
            assertThat(tagger.seen.get(0).direction()).isEqualTo(Direction.OUTGOING);
            assertThat(monitor.telemetry().get("recording_calls")).isEqualTo(2);
        }
    }

    @Test
    void simpleTaggerSeesTheKeyOnly() {
        Tagger simple = key -> Map.of("pid", Integer.toString(key.pid()));
        ConnectionKey key = new ConnectionKey(Family.V4, Protocol.UDP, java.net.InetAddress.getLoopbackAddress(), 1,
                java.net.InetAddress.getLoopbackAddress(), 2, 9, 0);

        assertThat(simple.tags(new FlowIdentity(key, Direction.LOCAL, "x", 1, List.of()))).isEqualTo(Map.of("pid", "9"));
        assertThat(simple.telemetry()).isEmpty();
    }
}
