package io.cnm4j.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * End-to-end load harness (not JMH), printing the figures of the README's benchmark table with
 * the peer's figure from the same run. Needs root (eBPF); not run in CI.
 *
 * <ol>
 *   <li>Connection storm: the C generator ({@link StormGenerator}) finds this machine's
 *       capture-off connection rate, then runs again under each capture: the library with a
 *       counting listener, {@code cnm watch --json} and libbpf-tools' tcplife. Per run:
 *       connections/s and its ratio to capture off, completeness per side (closed connections
 *       delivered ÷ made, client side and server side) and the loss counted, CPU of the
 *       capturing process per 1,000 connections and its ratio to tcplife's.</li>
 *   <li>Request/response on keep-alive connections, capture off and on (library,
 *       {@code cnm watch --json}): the project's own Java client and redis-benchmark against a
 *       private redis-server; requests/s and on ÷ off.</li>
 *   <li>Kernel cost: with {@code kernel.bpf_stats_enabled=1}, ns per run and runs per
 *       transaction of every {@code cnm_*} program this JVM's monitor loaded, over each
 *       request/response run.</li>
 * </ol>
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * io.cnm4j.bench.load.LoadHarness} and the options of {@link HarnessOptions#USAGE}.
 */
public final class LoadHarness {
    private static final long DRAIN_TIMEOUT_NANOS = 30_000_000_000L;
    private static final long DRAIN_QUIET_NANOS = 5_000_000_000L;

    private final HarnessOptions options;
    private final StormGenerator storm;
    private final Path target;

    /** One capture's measured storm: the generator's result, what the capture delivered and its CPU. */
    private record StormRun(String capture, StormResult result, long clientSide, long serverSide,
            Map<String, Long> loss, long cpuNanos) {
        double cpuMillisPer1000() {
            return result.made() == 0 ? 0 : cpuNanos / 1e6 / result.made() * 1000;
        }
    }

    /** Opens one capture; each run gets a fresh one. */
    @FunctionalInterface
    private interface CaptureOpener {
        Capture open() throws IOException, InterruptedException;
    }

    /** Runs one request/response load to its end and returns transactions and elapsed nanos. */
    @FunctionalInterface
    private interface RequestLoad {
        long[] run(boolean warmUp) throws IOException, InterruptedException;
    }

    private LoadHarness(HarnessOptions options, StormGenerator storm, Path target) {
        this.options = options;
        this.storm = storm;
        this.target = target;
    }

    public static void main(String[] args) throws Exception {
        HarnessOptions options = HarnessOptions.parseOrExit(args);
        Path target = StormGenerator.targetDirectory();
        LoadHarness harness = new LoadHarness(options, StormGenerator.build(target), target);
        harness.storms();
        harness.requestResponse();
    }

    private void storms() throws Exception {
        List<CaptureOpener> openers = captures();
        if (TcplifeCapture.available()) {
            openers.add(TcplifeCapture::start);
        } else {
            System.out.println("(no " + TcplifeCapture.TCPLIFE + ": tcplife runs skipped)");
        }
        System.out.printf("connection storm: %s, %d s per run, %d in flight, %d generator thread(s)%n",
                options.rate() == 0 ? "as fast as possible" : options.rate() + " conn/s target", options.seconds(),
                options.concurrency(), options.threads());
        for (int round = 1; round <= options.rounds(); round++) {
            runStorm(options.warmUpSeconds()); // every run, capture off too, follows a warm-up
            StormResult off = runStorm(options.seconds());
            List<StormRun> runs = new ArrayList<>();
            for (CaptureOpener opener : openers) {
                runs.add(stormUnder(opener));
            }
            printStorms(round, off, runs);
        }
    }

    /** The library, and {@code cnm watch --json} when its jar is there. */
    private List<CaptureOpener> captures() {
        List<CaptureOpener> openers = new ArrayList<>(List.of(LibraryCapture::open));
        if (Files.isRegularFile(options.cnmJar())) {
            openers.add(() -> WatchCapture.start(options.cnmJar(), target.resolve("cnm-watch.err")));
        } else {
            System.out.println("(no " + options.cnmJar() + ": cnm watch runs skipped)");
        }
        return openers;
    }

    private StormResult runStorm(int seconds) throws IOException, InterruptedException {
        return runStorm(StormGenerator.freeLoopbackPort(), seconds);
    }

    private StormResult runStorm(int port, int seconds) throws IOException, InterruptedException {
        return storm.run(port, "--seconds", Integer.toString(seconds), "--rate", Integer.toString(options.rate()),
                "--concurrency", Integer.toString(options.concurrency()), "--threads",
                Integer.toString(options.threads()));
    }

    private StormRun stormUnder(CaptureOpener opener) throws Exception {
        try (Capture capture = opener.open()) {
            StormTally tally = capture.tally();
            // warm-up: JIT, first map reads and table growth are not the steady state
            int warmUpPort = StormGenerator.freeLoopbackPort();
            tally.expect(warmUpPort);
            drain(tally, runStorm(warmUpPort, options.warmUpSeconds()).made());

            int port = StormGenerator.freeLoopbackPort();
            tally.expect(port);
            long cpuBefore = capture.cpuNanos();
            StormResult result = runStorm(port, options.seconds());
            drain(tally, result.made());
            long cpu = capture.cpuNanos() - cpuBefore;
            return new StormRun(capture.name(), result, tally.clientSide(), tally.serverSide(), tally.lossByCounter(),
                    cpu);
        }
    }

    /**
     * Waits until both sides of every made connection arrived, or until nothing more arrived for
     * a while after the first delivery (a busy machine may delay a capture's first interval).
     */
    private static void drain(StormTally tally, long made) throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        long seen = 0;
        while (tally.clientSide() < made || tally.serverSide() < made) {
            long now = System.nanoTime();
            long total = tally.clientSide() + tally.serverSide() + tally.loss();
            if (total != seen) {
                seen = total;
                lastChange = now;
            }
            if (now - start > DRAIN_TIMEOUT_NANOS || (seen > 0 && now - lastChange > DRAIN_QUIET_NANOS)) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static void printStorms(int round, StormResult off, List<StormRun> runs) {
        StormRun tcplife = runs.stream().filter(r -> r.capture().equals("tcplife")).findFirst().orElse(null);
        System.out.printf("%nround %d%n%-18s %9s %7s %9s %7s %12s %12s %7s %12s %11s%n", round, "capture", "conn/s",
                "vs off", "made", "failed", "client side", "server side", "loss", "cpu ms/1k", "vs tcplife");
        System.out.printf("%-18s %9.0f %7s %9d %7d %12s %12s %7s %12s %11s%n", "off", off.connectionsPerSecond(),
                "1.000", off.made(), off.failed(), "-", "-", "-", "-", "-");
        for (StormRun run : runs) {
            long made = Math.max(1, run.result().made());
            String versusTcplife = tcplife == null || run == tcplife ? "-"
                    : String.format("%.2f", run.cpuMillisPer1000() / tcplife.cpuMillisPer1000());
            System.out.printf("%-18s %9.0f %7.3f %9d %7d %12.4f %12.4f %7d %12.1f %11s%n", run.capture(),
                    run.result().connectionsPerSecond(), run.result().connectionsPerSecond() / off.connectionsPerSecond(),
                    run.result().made(), run.result().failed(), (double) run.clientSide() / made,
                    (double) run.serverSide() / made, run.loss().values().stream().mapToLong(Long::longValue).sum(),
                    run.cpuMillisPer1000(), versusTcplife);
        }
        for (StormRun run : runs) {
            if (!run.loss().isEmpty()) {
                System.out.printf("  loss under %s (any flow of the host): %s%n", run.capture(), run.loss());
            }
        }
    }

    private void requestResponse() throws Exception {
        System.out.printf("%nrequest/response on keep-alive loopback connections (requests/s; on ÷ off)%n");
        RequestLoad javaClient = warmUp -> {
            try (ChildLoad load = ChildLoad.start(Integer.toString(options.rrConnections()),
                    Integer.toString(warmUp ? options.warmUpSeconds() : options.rrSeconds()))) {
                return load.await();
            }
        };
        for (int round = 1; round <= options.rounds(); round++) {
            compare("java client, 1 KiB each way, " + options.rrConnections() + " connections", javaClient);
        }
        if (!RedisLoad.available()) {
            System.out.println("(no redis-server / redis-benchmark: apt-get install redis-server redis-tools)");
            kernelCost("java client", javaClient);
            return;
        }
        try (RedisLoad redis = RedisLoad.start(StormGenerator.freeLoopbackPort())) {
            RequestLoad redisBenchmark = warmUp -> {
                int requests = warmUp ? options.redisRequests() / 5 : options.redisRequests();
                // the benchmark's own rate as elapsed time, so that both clients report alike
                return new long[] {requests, Math.round(requests * 1e9 / redis.getsPerSecond(options.redisClients(), requests))};
            };
            for (int round = 1; round <= options.rounds(); round++) {
                compare("redis-benchmark -t get -c " + options.redisClients() + " -n " + options.redisRequests(),
                        redisBenchmark);
            }
            kernelCost("java client", javaClient);
            kernelCost("redis-benchmark GET", redisBenchmark);
        }
    }

    /** The load with capture off, under the library and under {@code cnm watch --json}. */
    private void compare(String label, RequestLoad load) throws Exception {
        load.run(true); // every run, capture off too, follows a warm-up
        double off = perSecond(load.run(false));
        StringBuilder line = new StringBuilder(String.format("%-52s off %9.0f", label, off));
        for (CaptureOpener opener : captures()) {
            try (Capture capture = opener.open()) {
                load.run(true);
                double on = perSecond(load.run(false));
                line.append(String.format(" | %s %9.0f (%.3f)", capture.name(), on, on / off));
            }
        }
        System.out.println(line);
    }

    private static double perSecond(long[] transactionsAndNanos) {
        return transactionsAndNanos[0] * 1e9 / transactionsAndNanos[1];
    }

    /** ns per run and runs per transaction of every program of this JVM's monitor, over one load. */
    private void kernelCost(String label, RequestLoad load) throws Exception {
        long pid = ProcessHandle.current().pid();
        try (BpfProgramStats.Enabled stats = BpfProgramStats.enable(); LibraryCapture capture = LibraryCapture.open()) {
            load.run(true);
            Map<Long, BpfProgramStats.Program> idleStart = BpfProgramStats.of(pid, "cnm_");
            long idleNanos = 2_000_000_000L;
            Thread.sleep(idleNanos / 1_000_000);
            Map<Long, BpfProgramStats.Program> before = BpfProgramStats.of(pid, "cnm_");
            long[] result = load.run(false);
            Map<Long, BpfProgramStats.Program> after = BpfProgramStats.of(pid, "cnm_");
            System.out.printf("%nkernel cost over %s: %d transactions in %.1f s (kernel.bpf_stats_enabled=1, programs"
                    + " of pid %d; idle/s: runs per second before the load, from the rest of the machine; net: runs"
                    + " per transaction less the idle rate)%n", label, result[0], result[1] / 1e9, pid);
            System.out.printf("%-22s %6s %12s %9s %10s %10s %10s%n", "program", "id", "runs", "ns/run", "runs/txn",
                    "idle/s", "net");
            long totalRuns = 0;
            long totalNanos = 0;
            for (BpfProgramStats.Program end : after.values()) {
                BpfProgramStats.Program start = before.get(end.id());
                BpfProgramStats.Program idle = idleStart.get(end.id());
                long runs = end.runCount() - (start == null ? 0 : start.runCount());
                long nanos = end.runTimeNanos() - (start == null ? 0 : start.runTimeNanos());
                double idlePerSecond = start == null || idle == null ? 0 : (start.runCount() - idle.runCount()) * 1e9 / idleNanos;
                double net = Math.max(0, runs - idlePerSecond * result[1] / 1e9) / result[0];
                totalRuns += runs;
                totalNanos += nanos;
                System.out.printf("%-22s %6d %12d %9.0f %10.3f %10.0f %10.3f%n", end.name(), end.id(), runs,
                        runs == 0 ? 0.0 : (double) nanos / runs, (double) runs / result[0], idlePerSecond, net);
            }
            System.out.printf("%-22s %6s %12d %9.0f %10.3f   (%.0f ns per transaction)%n", "all", "", totalRuns,
                    totalRuns == 0 ? 0.0 : (double) totalNanos / totalRuns, (double) totalRuns / result[0],
                    (double) totalNanos / result[0]);
        }
    }
}
