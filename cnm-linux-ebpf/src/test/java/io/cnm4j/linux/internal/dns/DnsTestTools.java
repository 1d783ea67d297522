package io.cnm4j.linux.internal.dns;

import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.MonitorConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/** What the DNS kernel tests share: the root and tools check, dig, commands, waiting for statistics. */
final class DnsTestTools {
    static final Duration WAIT = Duration.ofSeconds(10);

    private DnsTestTools() {
    }

    /** Drains the capture every 100 ms, merging intervals, until the condition holds, then once more. */
    static Map<DnsStatsKey, DnsStats> collectUntil(DnsCapture capture,
            Predicate<Map<DnsStatsKey, DnsStats>> done) throws InterruptedException {
        Map<DnsStatsKey, DnsStats> merged = new LinkedHashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(merged)) {
            if (System.nanoTime() > deadline) {
                return fail("expected statistics did not arrive within " + WAIT + "; got " + merged.values()
                        + "; telemetry " + capture.telemetry());
            }
            Thread.sleep(100);
            capture.drainStats().forEach(s -> merged.merge(s.key(), s, DnsStats::plus));
        }
        // Anything counted twice would show up now.
        Thread.sleep(300);
        capture.drainStats().forEach(s -> merged.merge(s.key(), s, DnsStats::plus));
        return merged;
    }

    static Map<String, Long> awaitTelemetry(DnsCapture capture, Predicate<Map<String, Long>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(capture.telemetry())) {
            if (System.nanoTime() > deadline) {
                return fail("telemetry did not reach the expected values within " + WAIT + ": "
                        + capture.telemetry());
            }
            Thread.sleep(100);
        }
        return capture.telemetry();
    }

    static DnsStatsKey key(String client, String server, String domain, int type) {
        try {
            return new DnsStatsKey(InetAddress.getByName(client), InetAddress.getByName(server), domain, type);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One query, one attempt: dig's retries would be counted as duplicate queries. */
    static void digAt(String server, int port, String name, String type, String... options) throws Exception {
        digFrom(List.of(), server, port, name, type, options);
    }

    /** As {@link #digAt}, from inside a network namespace. */
    static void digInNamespace(String namespace, String server, String name, String type) throws Exception {
        digFrom(List.of("ip", "netns", "exec", namespace), server, 53, name, type);
    }

    private static void digFrom(List<String> prefix, String server, int port, String name, String type,
            String... options) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("dig", "@" + server, "-p", String.valueOf(port), "+tries=1", "+time=1", name, type));
        command.addAll(List.of(options));
        Process dig = new ProcessBuilder(command).redirectErrorStream(true).start();
        dig.getInputStream().readAllBytes();
        boolean finished = dig.waitFor(10, TimeUnit.SECONDS);
        if (!finished) {
            dig.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        closeStreams(dig);
        if (!finished) {
            fail("dig did not finish: " + command);
        }
    }

    /** Closes a finished process's pipes now rather than at garbage collection, leaving no descriptor behind. */
    static void closeStreams(Process process) throws IOException {
        process.getOutputStream().close();
        process.getInputStream().close();
        process.getErrorStream().close();
    }

    static void awaitAnswer(String server, int port, String name, String expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (answers(server, port, name, expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("resolver at " + server + "#" + port + " did not answer " + name + " within " + WAIT);
            }
            Thread.sleep(100);
        }
    }

    static boolean answers(String server, int port, String name, String expected) throws Exception {
        Process dig = new ProcessBuilder("dig", "@" + server, "-p", String.valueOf(port), "+short", "+tries=1",
                "+time=1", name).redirectErrorStream(true).start();
        String answer = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        dig.waitFor();
        closeStreams(dig);
        return answer.equals(expected);
    }

    /**
     * Skips the test where it cannot run (not root, a tool missing, no packet socket), except under
     * CI ({@code CI=true}), where it fails.
     */
    static void requireRootAndTools(String... moreTools) throws Exception {
        String problem = null;
        List<String> tools = new ArrayList<>(List.of("ip", "dnsmasq", "dig"));
        tools.addAll(List.of(moreTools));
        if (!isRoot()) {
            problem = "not running as root";
        } else {
            for (String tool : tools) {
                if (!onPath(tool)) {
                    problem = tool + " is not installed (apt packages iproute2, dnsmasq-base, dnsutils, nftables)";
                    break;
                }
            }
        }
        requireCapture(problem);
    }

    /**
     * Fails under CI ({@code CI=true}), or skips elsewhere, when {@code problem} is not null or a
     * DNS capture cannot be opened.
     */
    static void requireCapture(String problem) {
        String reason = problem;
        if (reason == null) {
            try (DnsCapture probe = DnsCapture.open(MonitorConfig.defaults())) {
                probe.telemetry();
            } catch (NativeCallException e) {
                reason = e.getMessage();
            }
        }
        if (reason != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("DNS capture must be tested in CI but cannot: " + reason);
            }
            Assumptions.abort("DNS capture test skipped: " + reason);
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }

    private static boolean onPath(String tool) {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(10, TimeUnit.SECONDS);
        closeStreams(process);
        if (!finished || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + output);
        }
    }

    static void runIgnoringFailure(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.waitFor(10, TimeUnit.SECONDS);
        closeStreams(process);
    }
}
