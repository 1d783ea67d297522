package io.cnm4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.replay.ReplayBackendProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingExamplesTest {
    private static final String TCP = "\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"raddr\":\"10.0.0.2\","
            + "\"rport\":443,\"pid\":42,\"netns\":7,\"direction\":\"outgoing\",\"established\":true";
    private static final List<String> LINES = List.of(
            "{\"event\":\"update\",\"cookie\":1,\"lport\":40000," + TCP + ",\"bytes_sent\":100,\"bytes_recv\":1000}",
            "{\"event\":\"tick\"}",
            "{\"event\":\"closed\",\"cookie\":1,\"lport\":40000," + TCP + ",\"bytes_sent\":150,\"bytes_recv\":1500}",
            "{\"event\":\"closed\",\"cookie\":2,\"lport\":40001," + TCP + ",\"errno\":111}",
            "{\"event\":\"tick\"}");

    private static NetworkMonitor replayMonitor(Duration interval) {
        return NetworkMonitor.builder()
                .config(MonitorConfig.builder().interval(interval).build())
                .backend(ReplayBackendProvider.fromLines(LINES))
                .build();
    }

    @Test
    void closedConnectionPrinterPrintsEachClosedConnectionOnceWithItsTotals() throws InterruptedException {
        // given
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (NetworkMonitor monitor = replayMonitor(Duration.ofMillis(20))) {
            monitor.addListener(new ClosedConnectionPrinter(new PrintStream(printed, true, StandardCharsets.UTF_8)));

            // when
            monitor.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (printed.toString(StandardCharsets.UTF_8).lines().count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
        }

        // then
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "closed tcp 10.0.0.1:40000 -> 10.0.0.2:443 pid=42 netns=7 sent=150 recv=1500 failures={}",
                "closed tcp 10.0.0.1:40001 -> 10.0.0.2:443 pid=42 netns=7 sent=0 recv=0 failures={111=1}");
    }

    @Test
    void pollingExporterPrintsOneSummaryPerPoll() {
        // given
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (NetworkMonitor monitor = replayMonitor(Duration.ofSeconds(10))) {
            PollingExporter exporter = new PollingExporter(monitor.registerClient("exporter"),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            monitor.start();

            // when
            exporter.exportOnce();
            exporter.exportOnce();
            exporter.exportOnce();
        }

        // then
        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "connections=1 closed=0 sent=100 recv=1000 dns=0 loss=0",
                "connections=2 closed=2 sent=50 recv=500 dns=0 loss=0",
                "connections=0 closed=0 sent=0 recv=0 dns=0 loss=0");
    }

    @Test
    void jsonLinesFileExporterWritesEverySnapshotToTheFile(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("flows.jsonl");

        // when
        try (NetworkMonitor monitor = replayMonitor(Duration.ofMillis(20))) {
            JsonLinesFileExporter.export(monitor, file, Duration.ofMillis(400));
        }

        // then: every line is complete JSON; the connection lines hold all the replayed bytes
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("{\"type\":").endsWith("}"));
        List<String> connections = lines.stream().filter(line -> line.startsWith("{\"type\":\"conn\"")).toList();
        assertThat(connections).hasSize(3);
        assertThat(connections.get(0)).contains("\"lport\":40000", "\"bytes_sent\":100,\"bytes_recv\":1000");
        assertThat(connections.get(1)).contains("\"lport\":40000", "\"bytes_sent\":50,\"bytes_recv\":500",
                "\"closed\":true");
        assertThat(connections.get(2)).contains("\"lport\":40001", "\"tcp_failures\":{\"111\":1}");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("{\"type\":\"telemetry\""));
    }
}
