package io.cnm4j.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTaggerTest {
    @TempDir
    Path proc;

    private static FlowIdentity flow(int pid, String comm) {
        ConnectionKey key = new ConnectionKey(Family.V4, Protocol.TCP, InetAddress.getLoopbackAddress(), 40000,
                InetAddress.getLoopbackAddress(), 80, pid, 0);
        return new FlowIdentity(key, Direction.OUTGOING, comm, 0, List.of());
    }

    /** Writes a recorded-shape /proc/<pid> directory. */
    private void process(int pid, String comm, long startTicks, String cmdline, String environ, String cgroup)
            throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(dir.resolve("comm"), comm + "\n");
        // a name with a space and a parenthesis: fields must be counted after the last ')'
        Files.writeString(dir.resolve("stat"), pid + " (" + comm + ") S 1 " + pid + " " + pid
                + " 0 -1 4194560 1066 0 0 0 3 1 0 0 20 0 1 0 " + startTicks + " 8671232 384 18446744073709551615\n");
        Files.writeString(dir.resolve("status"), "Name:\t" + comm + "\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t"
                + pid + "\nPid:\t" + pid + "\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n");
        Files.write(dir.resolve("cmdline"), cmdline.replace(' ', '\0').concat("\0").getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("environ"), environ.getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("cgroup"), cgroup);
        Files.deleteIfExists(dir.resolve("exe"));
        Files.createSymbolicLink(dir.resolve("exe"), Path.of("/usr/bin/" + comm));
    }

    private ProcessTagger tagger(ServiceRule rule) throws IOException {
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3 4\nbtime 1700000000\nprocesses 42\n");
        Path passwd = Files.writeString(proc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
        return ProcessTagger.builder().procRoot(proc).passwdFile(passwd).serviceRule(rule).maxCmdlineChars(20).build();
    }

    @Test
    void liveProcessGetsEveryProcessTagWithTheServiceFromItsEnvironment() throws IOException {
        process(4242, "checkout", 12345, "/usr/bin/checkout --port 8080 --token secret-value",
                "PATH=/bin\0DD_SERVICE=checkout-api\0OTEL_SERVICE_NAME=other\0", "0::/system.slice/checkout.service\n");
        ProcessTagger tagger = tagger(ServiceRule.defaults());

        Map<String, String> tags = tagger.tags(flow(4242, "checkout"));

        assertThat(tags).isEqualTo(Map.of(
                "process_name", "checkout",
                "process_exe", "/usr/bin/checkout",
                "process_cmdline", "/usr/bin/checkout --",
                "process_user", "alice",
                "process_ppid", "1",
                "process_start_time", "2023-11-14T22:15:23Z",
                "service", "checkout-api"));
    }

    @Test
    void serviceFallsBackToTheSystemdUnitThenTheProcessName() throws IOException {
        process(10, "nginx", 5, "nginx", "PATH=/bin\0", "12:pids:/system.slice/nginx.service\n0::/system.slice/nginx.service\n");
        process(11, "worker", 5, "worker", "", "0::/user.slice/user-1000.slice/session-2.scope\n");
        ProcessTagger tagger = tagger(ServiceRule.defaults().orProcessName());

        assertThat(tagger.tags(flow(10, "nginx"))).containsEntry("service", "nginx");
        assertThat(tagger.tags(flow(11, "worker"))).containsEntry("service", "worker");
        assertThat(tagger(ServiceRule.none()).tags(flow(11, "worker"))).doesNotContainKey("service");
    }

    @Test
    void processThatExitedBeforeTheLookupKeepsItsKernelName() throws IOException {
        ProcessTagger tagger = tagger(ServiceRule.environment("DD_SERVICE").orProcessName());

        Map<String, String> tags = tagger.tags(flow(31337, "curl"));

        assertThat(tags).isEqualTo(Map.of("process_name", "curl", "service", "curl"));
        assertThat(tagger.telemetry()).containsEntry(ProcessTagger.LOOKUP_FAILURES, 1L);
    }

    @Test
    void processThatExitedAfterTheLookupKeepsItsTags() throws IOException {
        process(77, "redis", 99, "redis-server", "", "0::/\n");
        ProcessTagger tagger = tagger(ServiceRule.none());
        Map<String, String> alive = tagger.tags(flow(77, "redis"));

        deleteRecursively(proc.resolve("77"));

        assertThat(tagger.tags(flow(77, "redis"))).isEqualTo(alive).containsEntry("process_cmdline", "redis-server");
    }

    @Test
    void reusedPidWithAnotherStartTimeNeverInheritsTags() throws IOException, InterruptedException {
        process(500, "old", 100, "old --x", "DD_SERVICE=old-svc\0", "0::/\n");
        ProcessTagger tagger = tagger(ServiceRule.defaults());
        assertThat(tagger.tags(flow(500, ""))).containsEntry("service", "old-svc");

        process(500, "new", 200, "new --y", "", "0::/\n");

        // the kernel's name differs from the cached one: checked at once, not after the one-second window
        assertThat(tagger.tags(flow(500, "new"))).isEqualTo(Map.of("process_name", "new", "process_exe", "/usr/bin/new",
                "process_cmdline", "new --y", "process_user", "alice", "process_ppid", "1",
                "process_start_time", "2023-11-14T22:13:22Z"));
    }

    @Test
    void flowWithoutPidGetsOnlyTheKernelName() throws IOException {
        ProcessTagger tagger = tagger(ServiceRule.defaults());

        assertThat(tagger.tags(flow(0, "nginx"))).isEqualTo(Map.of("process_name", "nginx"));
        assertThat(tagger.tags(flow(0, ""))).isEmpty();
        assertThat(tagger.telemetry()).containsEntry(ProcessTagger.LOOKUP_FAILURES, 0L);
    }

    @Test
    void evictionsAreCounted() throws IOException {
        process(1, "a", 1, "a", "", "0::/\n");
        process(2, "b", 1, "b", "", "0::/\n");
        process(3, "c", 1, "c", "", "0::/\n");
        Files.writeString(proc.resolve("stat"), "btime 1700000000\n");
        ProcessTagger tagger = ProcessTagger.builder().procRoot(proc).cacheCapacity(2).build();

        tagger.tags(flow(1, "a"));
        tagger.tags(flow(2, "b"));
        tagger.tags(flow(3, "c"));

        assertThat(tagger.telemetry()).containsEntry(ProcessTagger.CACHE_EVICTIONS, 1L);
    }

    @Test
    void realProcessThatExitedBeforeTheLookupKeepsItsKernelName() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(5, TimeUnit.SECONDS)).isTrue();
        ProcessTagger tagger = ProcessTagger.create();

        assertThat(tagger.tags(flow((int) gone.pid(), "true"))).isEqualTo(Map.of("process_name", "true"));
        assertThat(tagger.telemetry()).containsEntry(ProcessTagger.LOOKUP_FAILURES, 1L);
    }

    @Test
    void realChildProcessIsReadFromProc() throws Exception {
        Path sleep = Files.exists(Path.of("/usr/bin/sleep")) ? Path.of("/usr/bin/sleep") : Path.of("/bin/sleep");
        ProcessBuilder builder = new ProcessBuilder(sleep.toString(), "30");
        builder.environment().put("OTEL_SERVICE_NAME", "sleeper");
        Process child = builder.start();
        try {
            ProcessTagger tagger = ProcessTagger.create();

            Map<String, String> tags = tagger.tags(flow((int) child.pid(), "sleep"));

            assertThat(tags).containsEntry("process_name", "sleep")
                    .containsEntry("process_exe", sleep.toRealPath().toString())
                    .containsEntry("process_cmdline", sleep + " 30")
                    .containsEntry("process_ppid", Long.toString(ProcessHandle.current().pid()))
                    .containsEntry("process_user", System.getProperty("user.name"))
                    .containsEntry("service", "sleeper");
            long startSeconds = child.info().startInstant().orElseThrow().getEpochSecond();
            long tagged = java.time.Instant.parse(tags.get("process_start_time")).getEpochSecond();
            assertThat(tagged).isBetween(startSeconds - 1, startSeconds + 1);
        } finally {
            child.destroy();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
