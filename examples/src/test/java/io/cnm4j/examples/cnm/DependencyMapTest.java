package io.cnm4j.examples.cnm;

import static io.cnm4j.examples.cnm.Snapshots.connection;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.replay.ReplayBackendProvider;
import io.cnm4j.examples.cnm.DependencyMap.Edge;
import io.cnm4j.examples.cnm.DependencyMap.Node;
import io.cnm4j.examples.cnm.DependencyMap.NodeKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyMapTest {
    private static final Map<Integer, String> COMMS = Map.of(4194401, "api-gateway");

    /** The map of the replay file map.jsonl, over both of its intervals. */
    private static DependencyMap replayedMap() {
        DependencyMap map = new DependencyMap(pid -> COMMS.getOrDefault(pid, ""));
        try (NetworkMonitor monitor = NetworkMonitor.builder()
                .backend(ReplayBackendProvider.fromFile(TestFiles.replay("map.jsonl"))).build()) {
            FlowClient client = monitor.registerClient("test");
            monitor.start();
            map.add(client.poll());
            map.add(client.poll());
        }
        return map;
    }

    @Test
    void edgesSumBytesOverIntervalsAndCountEachConnectionOnce() {
        // given / when
        List<Edge> edges = replayedMap().edges();

        // then
        Node gateway = new Node(NodeKind.PROCESS, "api-gateway");
        assertThat(edges).containsExactly(
                new Edge(gateway, new Node(NodeKind.ENDPOINT, "93.184.216.34:443"), 1500 + 5000 + 100 + 900, 2),
                new Edge(new Node(NodeKind.ENDPOINT, "10.0.0.7"), new Node(NodeKind.PROCESS, "pid 4194402"), 2560, 1),
                new Edge(gateway, new Node(NodeKind.ENDPOINT, "10.0.0.9:5432"), 500, 1));
    }

    @Test
    void mermaidOfAReplay() {
        String mermaid = MapFormat.MERMAID.render(replayedMap().edges());

        assertThat(mermaid).isEqualTo("""
                graph LR
                  n1["api-gateway"]
                  n2("93.184.216.34:443")
                  n3("10.0.0.7")
                  n4["pid 4194402"]
                  n5("10.0.0.9:5432")
                  n1 -->|"2 conns, 7.3 KiB"| n2
                  n3 -->|"1 conn, 2.5 KiB"| n4
                  n1 -->|"1 conn, 500 B"| n5
                """);
    }

    @Test
    void dotOfAReplay() {
        String dot = MapFormat.DOT.render(replayedMap().edges());

        assertThat(dot).isEqualTo("""
                digraph cnm {
                  rankdir=LR;
                  n1 [label="api-gateway", shape=box];
                  n2 [label="93.184.216.34:443", shape=ellipse];
                  n3 [label="10.0.0.7", shape=ellipse];
                  n4 [label="pid 4194402", shape=box];
                  n5 [label="10.0.0.9:5432", shape=ellipse];
                  n1 -> n2 [label="2 conns, 7.3 KiB"];
                  n3 -> n4 [label="1 conn, 2.5 KiB"];
                  n1 -> n5 [label="1 conn, 500 B"];
                }
                """);
    }

    @Test
    void serviceTagAndDnsNameNameTheNodesAndQuotesAreEscaped() {
        // given
        DependencyMap map = new DependencyMap(pid -> "curl");
        map.add(connection(Protocol.TCP, 7, Direction.OUTGOING, 40000, "93.184.216.34", 443,
                new Counters(10, 20, 1, 1, 0, 0, 0), 0, Map.of(), List.of("example.com", "www.example.com"),
                Map.of("service", "check\"out")));
        map.add(connection(Protocol.TCP, 0, Direction.NONE, 40001, "10.0.0.9", 5432, 1, 1));

        // when
        List<Edge> edges = map.edges();

        // then
        assertThat(edges).extracting(e -> e.from().label() + " -> " + e.to().label())
                .containsExactly("check\"out -> example.com", "curl -> 10.0.0.9:5432");
        assertThat(MapFormat.MERMAID.render(edges)).contains("n1[\"check#quot;out\"]");
        assertThat(MapFormat.DOT.render(edges)).contains("n1 [label=\"check\\\"out\", shape=box];");
    }

    @Test
    void unknownPidsAreNamedByNumberOrAsUnknown() {
        DependencyMap map = new DependencyMap(pid -> "");
        map.add(connection(Protocol.TCP, 42, Direction.OUTGOING, 40000, "10.0.0.9", 80, 2, 0));
        map.add(connection(Protocol.TCP, 0, Direction.OUTGOING, 40001, "10.0.0.9", 80, 1, 0));

        assertThat(map.edges()).extracting(e -> e.from().label()).containsExactly("pid 42", "unknown process");
    }

    @Test
    void anEmptyMapRendersAnEmptyGraph() {
        assertThat(MapFormat.MERMAID.render(List.of())).isEqualTo("graph LR\n");
        assertThat(MapFormat.DOT.render(List.of())).isEqualTo("digraph cnm {\n  rankdir=LR;\n}\n");
    }

    @Test
    void mapCommandPrintsTheGraphOfAReplay() {
        // pids above the kernel's pid_max (2^22): no live process can lend them a name.
        CommandRun run = CommandRun.of("map", "--replay", TestFiles.replay("map.jsonl").toString(), "--interval", "10ms",
                "--format", "dot");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("digraph cnm {\n  rankdir=LR;\n  n1 [label=\"pid 4194401\", shape=box];\n")
                .endsWith("  n1 -> n5 [label=\"1 conn, 500 B\"];\n}\n");
    }
}
