package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchCommandTest {
    private static final String REPLAY = TestFiles.replay("two-intervals.jsonl").toString();

    @Test
    void jsonLinesOfEveryIntervalOfAReplay() {
        // given: two recorded intervals, watched for three
        // when
        CommandRun run = CommandRun.of("watch", "--json", "--replay", REPLAY, "--interval", "20ms", "--duration", "60ms");

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        List<Map<String, Object>> lines = JsonLines.parse(run.out());
        assertThat(lines).extracting(line -> line.get("type"))
                .containsExactly("conn", "dns", "telemetry", "conn", "conn", "telemetry", "telemetry");
        assertThat(lines).allSatisfy(line -> assertThat(line.get("ts")).isInstanceOf(Long.class));

        assertThat(withoutTs(lines.get(0))).containsExactlyEntriesOf(connection(Map.ofEntries(
                Map.entry("lport", 40000L), Map.entry("raddr", "93.184.216.34"), Map.entry("rport", 443L),
                Map.entry("pid", 4194401L), Map.entry("cookie", 1L),
                Map.entry("bytes_sent", 300L), Map.entry("bytes_recv", 1200L),
                Map.entry("packets_sent", 3L), Map.entry("packets_recv", 4L), Map.entry("retransmits", 0L),
                Map.entry("tcp_established", 1L), Map.entry("tcp_closed", 0L),
                Map.entry("rtt_us", 2500L), Map.entry("rtt_var_us", 400L), Map.entry("tcp_failures", Map.of()),
                Map.entry("closed", false), Map.entry("duration_ms", 1000L))));
        assertThat(withoutTs(lines.get(1))).containsExactlyEntriesOf(ordered(
                "type", "dns", "client", "10.0.0.1", "server", "10.0.0.53", "domain", "example.com", "qtype", "A",
                "rcodes", ordered("0", 1L, "3", 1L), "timeouts", 0L, "success_latency_us_sum", 150L,
                "failure_latency_us_sum", 240L, "latency_us_p50", 150L, "latency_us_p99", 240L));
        assertThat(lines.get(2)).containsEntry("backend", "replay").containsEntry("queue_dropped", 0L)
                .containsEntry("replay_rejected_lines", 0L);

        assertThat(withoutTs(lines.get(3))).containsExactlyEntriesOf(connection(Map.ofEntries(
                Map.entry("lport", 40000L), Map.entry("raddr", "93.184.216.34"), Map.entry("rport", 443L),
                Map.entry("pid", 4194401L), Map.entry("cookie", 1L),
                Map.entry("bytes_sent", 200L), Map.entry("bytes_recv", 800L),
                Map.entry("packets_sent", 2L), Map.entry("packets_recv", 2L), Map.entry("retransmits", 1L),
                Map.entry("tcp_established", 0L), Map.entry("tcp_closed", 1L),
                Map.entry("rtt_us", 2600L), Map.entry("rtt_var_us", 300L), Map.entry("tcp_failures", Map.of()),
                Map.entry("closed", true), Map.entry("duration_ms", 2500L))));
        assertThat(withoutTs(lines.get(4))).containsExactlyEntriesOf(connection(Map.ofEntries(
                Map.entry("lport", 40002L), Map.entry("raddr", "10.0.0.9"), Map.entry("rport", 5432L),
                Map.entry("pid", 4194402L), Map.entry("cookie", 2L),
                Map.entry("bytes_sent", 0L), Map.entry("bytes_recv", 0L),
                Map.entry("packets_sent", 0L), Map.entry("packets_recv", 0L), Map.entry("retransmits", 0L),
                Map.entry("tcp_established", 0L), Map.entry("tcp_closed", 1L),
                Map.entry("rtt_us", 0L), Map.entry("rtt_var_us", 0L), Map.entry("tcp_failures", Map.of("111", 1L)),
                Map.entry("closed", true), Map.entry("duration_ms", 0L))));
        assertThat(lines.get(6)).containsEntry("backend", "replay");
    }

    @Test
    void withoutDurationAReplayStopsAfterItsLastInterval() {
        CommandRun run = CommandRun.of("watch", "--json", "--replay", REPLAY, "--interval", "10ms");

        assertThat(run.exitCode()).isZero();
        assertThat(JsonLines.parse(run.out())).extracting(line -> line.get("type"))
                .containsExactly("conn", "dns", "telemetry", "conn", "conn", "telemetry");
    }

    @Test
    void textLinesGoToTheOutputFile(@TempDir Path dir) throws Exception {
        // given
        Path output = dir.resolve("flows.txt");

        // when
        CommandRun run = CommandRun.of("watch", "--replay", REPLAY, "--interval", "10ms", "--output", output.toString());

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(lines).allSatisfy(line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ .*"));
        assertThat(lines.stream().map(line -> line.substring(line.indexOf(' ') + 1)).toList()).containsExactly(
                "tcp outgoing 10.0.0.1:40000 -> 93.184.216.34:443 pid=4194401 sent=300 recv=1200 retransmits=0 rtt_us=2500",
                "tcp outgoing 10.0.0.1:40000 -> 93.184.216.34:443 pid=4194401 sent=200 recv=800 retransmits=1 rtt_us=2600 closed",
                "tcp outgoing 10.0.0.1:40002 -> 10.0.0.9:5432 pid=4194402 sent=0 recv=0 retransmits=0 rtt_us=0 failures=111:1 closed");
    }

    @Test
    void jsonGoesToTheOutputFile(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("flows.jsonl");

        CommandRun run = CommandRun.of("watch", "--json", "--replay", REPLAY, "--interval", "10ms", "--output", output.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(JsonLines.parse(Files.readString(output))).extracting(line -> line.get("type"))
                .containsExactly("conn", "dns", "telemetry", "conn", "conn", "telemetry");
    }

    @Test
    void anUnwritableOutputFileFailsWithExitCode1(@TempDir Path dir) {
        CommandRun run = CommandRun.of("watch", "--replay", REPLAY, "--output", dir.resolve("missing/dir/out").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("cnm: cannot write " + dir.resolve("missing/dir/out"));
    }

    private static Map<String, Object> withoutTs(Map<String, Object> line) {
        Map<String, Object> copy = new LinkedHashMap<>(line);
        copy.remove("ts");
        return copy;
    }

    /** A conn line of the replay file, in the field order of DESIGN.md, with the given values. */
    private static Map<String, Object> connection(Map<String, Object> values) {
        String[] order = {"type", "proto", "family", "laddr", "lport", "raddr", "rport", "direction", "pid", "netns",
                "cookie", "bytes_sent", "bytes_recv", "packets_sent", "packets_recv", "retransmits", "tcp_established",
                "tcp_closed", "rtt_us", "rtt_var_us", "tcp_failures", "closed", "intra_host", "duration_ms", "nat",
                "dns_names", "tags"};
        Map<String, Object> defaults = Map.of("type", "conn", "proto", "tcp", "family", "v4", "laddr", "10.0.0.1",
                "direction", "outgoing", "netns", 4026531840L, "intra_host", false, "dns_names", List.of(),
                "tags", Map.of());
        Map<String, Object> line = new LinkedHashMap<>();
        for (String field : order) {
            line.put(field, values.containsKey(field) ? values.get(field) : defaults.get(field));
        }
        return line;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
