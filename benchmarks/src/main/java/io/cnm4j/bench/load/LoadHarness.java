package io.cnm4j.bench.load;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end load harness (not JMH): a loopback connection storm at chosen rates and a
 * request/response run, each with capture off and on, printing connections/s, capture
 * completeness, loss, CPU of the capturing JVM per 1,000 connections and the on/off
 * throughput ratio; with libbpf-tools' {@code tcplife} installed, the same storm under tcplife
 * and the CPU ratio cnm4j ÷ tcplife. The load runs in a child process so that only capture
 * work is charged to this JVM. Needs root (eBPF).
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * io.cnm4j.bench.load.LoadHarness [--rates 5000,10000,20000] [--seconds 5] [--threads 8]
 * [--rr-connections 4] [--rr-seconds 10]}
 */
public final class LoadHarness {
    private static final Path TCPLIFE = Path.of("/usr/sbin/tcplife");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private record StormRun(long made, long elapsedNanos, long delivered, long loss, long cpuNanos) {
        double connectionsPerSecond() {
            return made * 1e9 / elapsedNanos;
        }

        double cpuMillisPer1000() {
            return made == 0 ? 0 : cpuNanos / 1e6 / made * 1000;
        }
    }

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> rates = List.of(5_000, 10_000, 20_000);
        int seconds = 5;
        int threads = 8;
        int rrConnections = 4;
        int rrSeconds = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rates" -> rates = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--rr-connections" -> rrConnections = Integer.parseInt(args[i + 1]);
                case "--rr-seconds" -> rrSeconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        boolean tcplife = Files.isExecutable(TCPLIFE) && mountTracefs();
        System.out.printf("%-8s %-9s %10s %12s %8s %14s %14s%n", "rate", "capture", "conn/s", "completeness",
                "loss", "cpu ms/1k conn", "cpu vs tcplife");
        for (int rate : rates) {
            StormRun off = storm(rate, seconds, threads, null);
            print(rate, "off", off, null);
            StormRun on;
            try (NetworkMonitor monitor = NetworkMonitor.builder().config(MonitorConfig.builder()
                    .interval(Duration.ofSeconds(1)).dnsEnabled(false).build()).build()) {
                monitor.start();
                FlowClient client = monitor.registerClient("harness");
                storm(rate, 1, threads, client); // warm-up: JIT and first map reads are not the steady state
                on = storm(rate, seconds, threads, client);
            }
            StormRun life = tcplife ? stormUnderTcplife(rate, seconds, threads) : null;
            print(rate, "cnm4j", on, life);
            if (life != null) {
                print(rate, "tcplife", life, null);
            }
        }
        double off = requestResponse(rrConnections, rrSeconds, false);
        double on = requestResponse(rrConnections, rrSeconds, true);
        System.out.printf("request/response 1 KiB x %d connections: off %.0f req/s, on %.0f req/s, on/off %.3f%n",
                rrConnections, off, on, on / off);
    }

    private static void print(int rate, String capture, StormRun run, StormRun tcplife) {
        String completeness = capture.equals("off") ? "-" : String.format("%.4f", (double) run.delivered() / run.made());
        String cpu = capture.equals("off") ? "-" : String.format("%.1f", run.cpuMillisPer1000());
        String ratio = tcplife == null ? "-" : String.format("%.2f", (double) run.cpuNanos() / Math.max(1, tcplife.cpuNanos()));
        System.out.printf("%-8d %-9s %10.0f %12s %8s %14s %14s%n", rate, capture, run.connectionsPerSecond(),
                completeness, capture.equals("off") ? "-" : Long.toString(run.loss()), cpu, ratio);
    }

    private static StormRun storm(int rate, int seconds, int threads, FlowClient client) throws Exception {
        if (client != null) {
            client.poll(); // start from a clean slate: only the storm's deltas and losses count
        }
        long cpuBefore = CpuTime.thisProcessNanos();
        long delivered = 0;
        long loss = 0;
        try (ChildLoad load = ChildLoad.start("storm", Integer.toString(rate), Integer.toString(seconds),
                Integer.toString(threads))) {
            int port = load.serverPort;
            Thread progress = null;
            AtomicLong polled = new AtomicLong();
            AtomicLong polledLoss = new AtomicLong();
            if (client != null) {
                // an exporter polling every second while the storm runs
                progress = Thread.ofPlatform().daemon().name("cnm4j-bench-poller").start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        FlowSnapshot snapshot = client.poll();
                        polled.addAndGet(closedTo(snapshot, port));
                        polledLoss.addAndGet(snapshot.telemetry().totalLoss());
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            }
            long[] result = load.await();
            if (progress != null) {
                progress.interrupt();
                progress.join();
                delivered = polled.get();
                loss = polledLoss.get();
                long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
                while (delivered + loss < result[0] && System.nanoTime() < deadline) {
                    FlowSnapshot snapshot = client.poll();
                    delivered += closedTo(snapshot, port);
                    loss += snapshot.telemetry().totalLoss();
                    Thread.sleep(200);
                }
            }
            return new StormRun(result[0], result[1], delivered, loss, CpuTime.thisProcessNanos() - cpuBefore);
        }
    }

    /** Closed client-side connections to the storm server in one snapshot. */
    private static long closedTo(FlowSnapshot snapshot, int serverPort) {
        long closed = 0;
        for (ConnectionStats c : snapshot.connections()) {
            if (c.key().remotePort() == serverPort) {
                closed += c.last().tcpClosed();
            }
        }
        return closed;
    }

    private static StormRun stormUnderTcplife(int rate, int seconds, int threads) throws Exception {
        // line-buffered: a pipe would otherwise hold tcplife's header and lines in its stdio buffer
        Process tcplife = new ProcessBuilder("stdbuf", "-oL", TCPLIFE.toString()).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(tcplife.getInputStream(), StandardCharsets.UTF_8));
        String header = lines.readLine();
        if (header == null || !header.startsWith("PID")) {
            tcplife.destroyForcibly();
            throw new IOException("tcplife did not start: " + header);
        }
        List<String> captured = new ArrayList<>();
        Thread reader = Thread.ofPlatform().daemon().name("cnm4j-bench-reader").start(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (captured) {
                        captured.add(line);
                    }
                }
            } catch (IOException ended) {
                // tcplife was stopped
            }
        });
        long cpuBefore = CpuTime.processNanos(tcplife.pid());
        try (ChildLoad load = ChildLoad.start("storm", Integer.toString(rate), Integer.toString(seconds),
                Integer.toString(threads))) {
            long[] result = load.await();
            Thread.sleep(1000);
            long cpu = CpuTime.processNanos(tcplife.pid()) - cpuBefore;
            tcplife.destroy();
            tcplife.waitFor();
            reader.join(2000);
            String port = " " + load.serverPort + " ";
            long delivered;
            synchronized (captured) {
                // the client side's line has the server port as RPORT, the 6th column
                delivered = captured.stream().map(l -> l.trim().split("\\s+"))
                        .filter(f -> f.length > 5 && f[5].equals(port.trim())).count();
            }
            return new StormRun(result[0], result[1], delivered, 0, cpu);
        } finally {
            tcplife.destroyForcibly();
        }
    }

    private static double requestResponse(int connections, int seconds, boolean capture) throws Exception {
        NetworkMonitor monitor = null;
        if (capture) {
            monitor = NetworkMonitor.builder().config(MonitorConfig.builder().interval(Duration.ofSeconds(1))
                    .dnsEnabled(false).build()).build();
            monitor.addListener(snapshot -> { });
            monitor.start();
        }
        try (ChildLoad load = ChildLoad.start("rr", Integer.toString(connections), Integer.toString(seconds))) {
            long[] result = load.await();
            return result[0] * 1e9 / result[1];
        } finally {
            if (monitor != null) {
                monitor.close();
            }
        }
    }

    /** tcplife attaches classic tracepoints, which need tracefs mounted. */
    private static boolean mountTracefs() throws InterruptedException {
        if (Files.exists(Path.of("/sys/kernel/tracing/events"))) {
            return true;
        }
        try {
            return new ProcessBuilder("mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing").inheritIO().start()
                    .waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
