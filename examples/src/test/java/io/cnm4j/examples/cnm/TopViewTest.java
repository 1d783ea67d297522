package io.cnm4j.examples.cnm;

import static io.cnm4j.examples.cnm.Snapshots.connection;
import static io.cnm4j.examples.cnm.Snapshots.dns;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.MonitorCounters;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.Telemetry;
import io.cnm4j.linux.internal.LinuxCounters;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopViewTest {
    private static final Map<Integer, String> COMMS = Map.of(101, "curl", 202, "postgres", 303, "a-very-long-process-name");
    private final TopView view = new TopView(pid -> COMMS.getOrDefault(pid, ""), ZoneOffset.UTC);

    private static FlowSnapshot busySnapshot() {
        List<ConnectionStats> connections = List.of(
                connection(Protocol.UDP, 0, Direction.OUTGOING, 53000, "10.0.0.53", 53, 40, 120),
                connection(Protocol.TCP, 303, Direction.OUTGOING, 40002, "10.0.0.9", 5432,
                        new Counters(0, 0, 0, 0, 0, 0, 1), 0, Map.of(111, 1L), List.of(), Map.of()),
                connection(Protocol.TCP, 101, Direction.OUTGOING, 40000, "93.184.216.34", 443,
                        new Counters(1536, 1_048_576, 10, 800, 1, 0, 0), 2500, Map.of(), List.of("example.com"), Map.of()),
                connection(Protocol.TCP, 202, Direction.INCOMING, 5432, "10.0.0.7", 51000, 4096, 512));
        return new FlowSnapshot(Snapshots.T0, "replay", connections,
                List.of(dns("10.0.0.53", "api.internal", 0, 100), dns("10.0.0.54", "api.internal", 0, 120),
                        dns("10.0.0.53", "example.com", 0, 150, 3, 240, -1, 0)),
                Telemetry.of(Map.of(MonitorCounters.QUEUE_DROPPED, 3L, MonitorCounters.EVENTS_APPLIED, 100L,
                        LinuxCounters.RING_BUFFER_DROPPED, 2L)));
    }

    @Test
    void frameShowsStatusConnectionsBusiestFirstAndDnsPanel() {
        // given
        FlowSnapshot snapshot = busySnapshot();

        // when
        String frame = view.render(snapshot, 80, 24);

        // then
        assertThat(frame.split("\n", -1)).containsExactly(
                "cnm4j top 10:00:10  backend replay  connections 4  loss 5                q quits",
                "PROCESS          PID DIR REMOTE                    SENT   RECV     RTT RETR FAIL",
                "curl             101 out example.com:443           1.5K   1.0M   2.5ms    1    0",
                "postgres         202 in  10.0.0.7:51000            4.0K    512       -    0    0",
                "                   - out 10.0.0.53:53                40    120       -    0    0",
                "a-very-long~     303 out 10.0.0.9:5432                0      0       -    0    1",
                "",
                "DNS DOMAIN                                                QUERIES   ERR%     P99",
                "    example.com                                                 3  66.7%   240us",
                "    api.internal                                                2   0.0%   120us");
    }

    @Test
    void manyConnectionsFitIn80By24WithACountOfTheRest() {
        // given
        List<ConnectionStats> connections = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            connections.add(connection(Protocol.TCP, 1000 + i, Direction.OUTGOING, 40000 + i, "10.1.0." + i, 443, i * 100L, 0));
        }
        FlowSnapshot snapshot = new FlowSnapshot(Snapshots.T0, "linux-ebpf", connections, List.of(), Telemetry.empty());

        // when
        String[] lines = view.render(snapshot, 80, 24).split("\n", -1);

        // then
        assertThat(lines).hasSize(24);
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(lines[0]).startsWith("cnm4j top 10:00:10  backend linux-ebpf  connections 30  loss 0");
        assertThat(lines[2]).startsWith("                1030 out 10.1.0.30:443");
        assertThat(lines[19]).startsWith("                1013 out 10.1.0.13:443");
        assertThat(lines[20]).isEqualTo("  ... 12 more connections");
        assertThat(lines[22]).startsWith("DNS DOMAIN");
        assertThat(lines[23]).isEqualTo("    (no DNS queries in this interval)");
    }

    @Test
    void aSmallTerminalGetsATruncatedFrameThatStillFits() {
        String[] lines = view.render(busySnapshot(), 40, 8).split("\n", -1);

        assertThat(lines.length).isLessThanOrEqualTo(8);
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(40));
        assertThat(lines[0]).isEqualTo("cnm4j top 10:00:10  backend replay  conn");
    }

    @Test
    void anEmptyIntervalSaysSo() {
        FlowSnapshot snapshot = new FlowSnapshot(Snapshots.T0, "replay", List.of(), List.of(), Telemetry.empty());

        assertThat(view.render(snapshot, 80, 24).split("\n", -1)).containsExactly(
                "cnm4j top 10:00:10  backend replay  connections 0  loss 0                q quits",
                "PROCESS          PID DIR REMOTE                    SENT   RECV     RTT RETR FAIL",
                "  (no connection activity in this interval)",
                "",
                "DNS DOMAIN                                                QUERIES   ERR%     P99",
                "    (no DNS queries in this interval)");
    }
}
