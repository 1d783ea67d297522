package io.cnm4j.examples.cnm;

import static io.cnm4j.examples.cnm.Snapshots.connection;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.Telemetry;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code cnm map --by}, {@code cnm top --group-by} and {@code --tag-cidr}: grouping by tags. */
class TaggedCommandsTest {
    private static final String TAGGED = TestFiles.replay("tagged.jsonl").toString();
    private static final String ZONE_A = "10.1.0.0/16 zone:eu-west-1a";
    private static final String ZONE_B = "10.2.0.0/16 zone:eu-west-1b";

    @Test
    void mapByZoneDrawsTheCrossZoneTrafficFromCidrRules() {
        CommandRun run = CommandRun.of("map", "--replay", TAGGED, "--interval", "10ms", "--by", "zone",
                "--tag-cidr", ZONE_A, "--tag-cidr", ZONE_B);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                graph LR
                  n1["eu-west-1a"]
                  n2("eu-west-1b")
                  n1 -->|"2 conns, 4.9 KiB"| n2
                  n2 -->|"1 conn, 2.5 KiB"| n1
                """);
    }

    @Test
    void mapByProcessNamesProcessesThatExitedByTheirKernelName() {
        CommandRun run = CommandRun.of("map", "--replay", TAGGED, "--interval", "10ms", "--by", "process");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                graph LR
                  n1["curl"]
                  n2("10.2.0.5:443")
                  n3("10.2.0.9")
                  n4["postgres"]
                  n1 -->|"2 conns, 4.9 KiB"| n2
                  n3 -->|"1 conn, 2.5 KiB"| n4
                """);
    }

    @Test
    void watchJsonWithTagsCarriesTheKernelProcessNameAndCidrZonesOnBothEnds() {
        CommandRun run = CommandRun.of("watch", "--json", "--replay", TAGGED, "--interval", "10ms",
                "--tag-cidr", ZONE_A, "--tag-cidr", ZONE_B);

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<Map<String, Object>> conns = JsonLines.parse(run.out()).stream()
                .filter(line -> "conn".equals(line.get("type"))).toList();
        assertThat(conns).extracting(line -> line.get("lport")).containsExactly(40000L, 40001L, 5432L);
        for (Map<String, Object> conn : conns) {
            @SuppressWarnings("unchecked")
            Map<String, Object> tags = (Map<String, Object>) conn.get("tags");
            assertThat(tags).containsEntry("zone", "eu-west-1a").containsEntry("remote_zone", "eu-west-1b")
                    .containsEntry("process_name", (Long) conn.get("lport") == 5432L ? "postgres" : "curl")
                    .containsKey("host");
        }
    }

    @Test
    void unknownGroupingIsAUsageError() {
        CommandRun map = CommandRun.of("map", "--by", "planet");
        CommandRun top = CommandRun.of("top", "--group-by", "planet");
        CommandRun cidr = CommandRun.of("top", "--tag-cidr", "10.0.0.0/33 zone:x");

        assertThat(map.exitCode()).isEqualTo(64);
        assertThat(map.err()).contains("--by takes one of process, container, pod, service, zone, not 'planet'");
        assertThat(top.exitCode()).isEqualTo(64);
        assertThat(top.err()).contains("--group-by takes one of process, container, pod, service, zone");
        assertThat(cidr.exitCode()).isEqualTo(64);
        assertThat(cidr.err()).contains("--tag-cidr: prefix length out of range: 10.0.0.0/33");
    }

    @Test
    void topGroupedByServiceSumsEachClientServerPair() throws UsageException {
        TopView view = new TopView(pid -> "", ZoneOffset.UTC, Grouping.byName("--group-by", "service"));
        List<ConnectionStats> connections = List.of(
                connection(Protocol.TCP, 1, Direction.OUTGOING, 40000, "10.0.0.2", 8080,
                        new Counters(1000, 4000, 10, 10, 1, 1, 0), 200, Map.of(), List.of(),
                        Map.of("service", "web", "remote_kube_service", "api")),
                connection(Protocol.TCP, 1, Direction.OUTGOING, 40001, "10.0.0.2", 8080,
                        new Counters(1000, 2000, 30, 30, 0, 1, 1), 400, Map.of(111, 1L), List.of(),
                        Map.of("service", "web", "remote_kube_service", "api")),
                connection(Protocol.TCP, 2, Direction.INCOMING, 8080, "10.0.0.3", 50000,
                        new Counters(512, 256, 1, 1, 0, 0, 0), 0, Map.of(), List.of(), Map.of("service", "api")));
        FlowSnapshot snapshot = new FlowSnapshot(Snapshots.T0, "replay", connections, List.of(), Telemetry.empty());

        String frame = view.render(snapshot, 80, 10);

        assertThat(frame.split("\n", -1)).containsExactly(
                "cnm4j top 10:00:10  backend replay  connections 3  loss 0                q quits",
                "SERVICE (CLIENT -> SERVER)                 CONNS   SENT   RECV     RTT RETR FAIL",
                "web -> api                                     2   2.0K   5.9K   350us    1    1",
                "- -> api                                       1    256    512       -    0    0",
                "",
                "DNS DOMAIN                                                QUERIES   ERR%     P99",
                "    (no DNS queries in this interval)");
    }

    @Test
    void processColumnPrefersTheKernelNameOfAProcessThatExited() {
        TopView view = new TopView(pid -> "", ZoneOffset.UTC);
        FlowSnapshot snapshot = new FlowSnapshot(Snapshots.T0, "replay", List.of(
                connection(Protocol.TCP, 4194401, Direction.OUTGOING, 40000, "10.0.0.2", 80,
                        new Counters(10, 20, 1, 1, 0, 1, 1), 0, Map.of(), List.of(), Map.of("process_name", "curl"))),
                List.of(), Telemetry.empty());

        assertThat(view.render(snapshot, 80, 8).split("\n")[2])
                .isEqualTo("curl         4194401 out 10.0.0.2:80                 10     20       -    0    0");
    }
}
