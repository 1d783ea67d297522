package io.cnm4j.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cnm4j.core.MonitorCounters;
import io.cnm4j.core.Telemetry;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code cnm watch --json} in a child process, as a user runs it, its JSON lines read from a pipe
 * and counted by this JVM (as tcplife's lines are), so that the capture's completeness is
 * checked too. Its CPU is the child's, read from /proc.
 */
final class WatchCapture extends ChildCapture {
    private static final JsonFactory JSON = new JsonFactory();
    /** JVM start, BPF verification and a first interval; minutes on a 2-core machine under a full build. */
    private static final long START_TIMEOUT_SECONDS = 180;

    private final CountDownLatch firstLine = new CountDownLatch(1);

    private WatchCapture(Process process) {
        super(process);
    }

    /** Starts {@code cnm.jar watch --json} on the eBPF backend and returns after its first interval. */
    static WatchCapture start(Path cnmJar, Path errorLog) throws IOException, InterruptedException {
        if (!Files.isRegularFile(cnmJar)) {
            throw new IOException(cnmJar + " does not exist: build it with ./mvnw -q -B -pl examples -am package -DskipTests");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                cnmJar.toString(), "watch", "--json", "--no-dns", "--backend", "linux-ebpf", "--interval", "1s")
                .redirectError(errorLog.toFile()).start();
        WatchCapture capture = new WatchCapture(process);
        Thread.ofPlatform().daemon().name("cnm4j-bench-watch-reader").start(capture::readLines);
        if (!capture.firstLine.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !process.isAlive()) {
            process.destroyForcibly();
            throw new IOException("cnm watch printed nothing within " + START_TIMEOUT_SECONDS + " s; its errors: "
                    + Files.readString(errorLog).strip());
        }
        return capture;
    }

    private void readLines() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process().getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                count(line, tally());
                firstLine.countDown();
            }
        } catch (IOException stopped) {
            // the child was stopped
        }
    }

    /** Counts one JSON line: a closed TCP connection by side, or a telemetry line's loss. */
    static void count(String line, StormTally tally) {
        if (line.startsWith("{\"type\":\"conn\"")) {
            tally.closed((int) numberAfter(line, "\"lport\":"), (int) numberAfter(line, "\"rport\":"),
                    numberAfter(line, "\"tcp_closed\":"));
        } else if (line.startsWith("{\"type\":\"telemetry\"")) {
            tally.lost(declared(counters(line)));
        }
    }

    /** The counters the monitor and the eBPF backend declare, by name; built once, not per line. */
    private static final Map<String, TelemetryCounter> DECLARATIONS = declarations();

    private static Map<String, TelemetryCounter> declarations() {
        Map<String, TelemetryCounter> declarations = new HashMap<>();
        MonitorCounters.ALL.forEach(c -> declarations.put(c.name(), c));
        new LinuxEbpfBackendProvider().telemetryCounters().forEach(c -> declarations.put(c.name(), c));
        return Map.copyOf(declarations);
    }

    /** The counters of a telemetry line with the kinds the monitor and the eBPF backend declare for them. */
    private static Telemetry declared(Map<String, Long> counters) {
        Map<TelemetryCounter, Long> typed = new HashMap<>();
        counters.forEach((name, value) -> {
            TelemetryCounter declaration = DECLARATIONS.get(name);
            if (declaration != null) {
                typed.put(declaration, value);
            }
        });
        return Telemetry.of(typed);
    }

    /** The unsigned integer following {@code field}; the writer's field names and numbers are fixed. */
    private static long numberAfter(String line, String field) {
        int at = line.indexOf(field);
        if (at < 0) {
            throw new IllegalArgumentException("no " + field + " in " + line);
        }
        long value = 0;
        for (int i = at + field.length(); i < line.length() && Character.isDigit(line.charAt(i)); i++) {
            value = value * 10 + (line.charAt(i) - '0');
        }
        return value;
    }

    /** The numeric fields of a telemetry line: its counters (and {@code ts}, which is no loss). */
    private static Map<String, Long> counters(String line) {
        Map<String, Long> counters = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(line)) {
            for (JsonToken token; (token = parser.nextToken()) != null; ) {
                if (token == JsonToken.VALUE_NUMBER_INT) {
                    counters.put(parser.currentName(), parser.getLongValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
        return counters;
    }

    @Override
    public String name() {
        return "cnm watch --json";
    }
}
