package io.cnm4j.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kernel cost of the send and receive hot path, over a floor measured in the same run: the
 * library's programs and {@link EmptyPrograms} on the same tracepoints, both attached during the
 * same loopback request/response load ({@link LoopbackLoad}: 1 KiB each way on keep-alive
 * connections). Per round and program: runs, runs per request/response, ns per run, and for
 * {@code cnm_sock_send}/{@code cnm_sock_recv} the ns per run over the empty program and the ratio
 * to it; then all cnm programs' ns per request/response, as measured and over the empty programs.
 * The last line gives the medians over the rounds. Needs root; not run in CI.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * io.cnm4j.bench.load.KernelCost [--rounds 1] [--rr-connections 4] [--rr-seconds 10]
 * [--warm-up-seconds 3]} (the {@link HarnessOptions} of the load harness; the others are ignored).
 */
public final class KernelCost {
    private static final String CNM_PREFIX = "cnm_";

    /** One program's runs and run time over one round. */
    private record Delta(long runs, long nanos) {
        double nanosPerRun() {
            return runs == 0 ? 0 : (double) nanos / runs;
        }
    }

    private KernelCost() {
    }

    public static void main(String[] args) throws Exception {
        HarnessOptions options = HarnessOptions.parseOrExit(args);
        long pid = ProcessHandle.current().pid();
        List<Double> sendOver = new ArrayList<>();
        List<Double> recvOver = new ArrayList<>();
        List<Double> transactionOver = new ArrayList<>();
        try (BpfProgramStats.Enabled stats = BpfProgramStats.enable();
                LibraryCapture capture = LibraryCapture.open();
                EmptyPrograms empty = EmptyPrograms.attach(StormGenerator.targetDirectory())) {
            load(options.rrConnections(), options.warmUpSeconds());
            for (int round = 1; round <= options.rounds(); round++) {
                Map<String, BpfProgramStats.Program> before = byName(BpfProgramStats.of(pid, ""));
                long[] result = load(options.rrConnections(), options.rrSeconds());
                Map<String, Delta> deltas = deltas(before, byName(BpfProgramStats.of(pid, "")));
                System.out.printf("%nround %d: %d request/responses in %.1f s (1 KiB each way, %d connections,"
                        + " kernel.bpf_stats_enabled=1, programs of pid %d)%n", round, result[0], result[1] / 1e9,
                        options.rrConnections(), pid);
                transactionOver.add(printRound(deltas, result[0]));
                sendOver.add(overEmpty(deltas, "cnm_sock_send"));
                recvOver.add(overEmpty(deltas, "cnm_sock_recv"));
            }
        }
        System.out.printf("%nmedian of %d round(s), ns over the empty program: cnm_sock_send %.0f per run,"
                + " cnm_sock_recv %.0f per run, all cnm programs %.0f per request/response%n", options.rounds(),
                median(sendOver), median(recvOver), median(transactionOver));
    }

    private static long[] load(int connections, int seconds) throws Exception {
        try (ChildLoad load = ChildLoad.start(Integer.toString(connections), Integer.toString(seconds))) {
            return load.await();
        }
    }

    private static Map<String, BpfProgramStats.Program> byName(Map<Long, BpfProgramStats.Program> programs) {
        Map<String, BpfProgramStats.Program> named = new TreeMap<>();
        programs.values().forEach(p -> named.put(p.name(), p));
        return named;
    }

    private static Map<String, Delta> deltas(Map<String, BpfProgramStats.Program> before,
            Map<String, BpfProgramStats.Program> after) {
        Map<String, Delta> deltas = new TreeMap<>();
        after.forEach((name, end) -> {
            BpfProgramStats.Program start = before.get(name);
            deltas.put(name, new Delta(end.runCount() - (start == null ? 0 : start.runCount()),
                    end.runTimeNanos() - (start == null ? 0 : start.runTimeNanos())));
        });
        return deltas;
    }

    /** Prints the round's table; returns all cnm programs' ns per request/response over the empty programs. */
    private static double printRound(Map<String, Delta> deltas, long transactions) {
        System.out.printf("%-18s %12s %9s %8s %14s %11s %8s%n", "program", "runs", "runs/txn", "ns/run",
                "empty ns/run", "over empty", "÷ empty");
        long cnmNanos = 0;
        double floorNanos = 0;
        for (Map.Entry<String, Delta> entry : deltas.entrySet()) {
            String name = entry.getKey();
            Delta delta = entry.getValue();
            Delta floor = name.startsWith(CNM_PREFIX) ? deltas.get(EmptyPrograms.standIn(name)) : null;
            if (name.startsWith(CNM_PREFIX)) {
                cnmNanos += delta.nanos();
            }
            if (floor == null || floor.runs() == 0) {
                System.out.printf("%-18s %12d %9.3f %8.0f %14s %11s %8s%n", name, delta.runs(),
                        (double) delta.runs() / transactions, delta.nanosPerRun(), "-", "-", "-");
                continue;
            }
            floorNanos += delta.runs() * floor.nanosPerRun();
            System.out.printf("%-18s %12d %9.3f %8.0f %14.0f %11.0f %8.2f%n", name, delta.runs(),
                    (double) delta.runs() / transactions, delta.nanosPerRun(), floor.nanosPerRun(),
                    delta.nanosPerRun() - floor.nanosPerRun(), delta.nanosPerRun() / floor.nanosPerRun());
        }
        double over = (cnmNanos - floorNanos) / transactions;
        System.out.printf("all cnm programs: %.0f ns per request/response, %.0f over the empty programs%n",
                (double) cnmNanos / transactions, over);
        return over;
    }

    private static double overEmpty(Map<String, Delta> deltas, String cnmName) {
        Delta cnm = deltas.get(cnmName);
        Delta floor = deltas.get(EmptyPrograms.standIn(cnmName));
        return cnm == null || floor == null ? Double.NaN : cnm.nanosPerRun() - floor.nanosPerRun();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
}
