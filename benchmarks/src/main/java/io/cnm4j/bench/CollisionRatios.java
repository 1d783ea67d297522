package io.cnm4j.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link DnsCollisionBenchmark} and {@link ClusteredPeersBenchmark} and prints, for each,
 * the time of an interval on attacker-chosen input divided by the time on random input (target:
 * at most 2). JMH options on the command line apply, e.g. {@code -f 1 -wi 1 -i 3}.
 */
public final class CollisionRatios {
    private CollisionRatios() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        report(run(commandLine, DnsCollisionBenchmark.class), "domains", "colliding", "random");
        Collection<RunResult> peers = run(commandLine, ClusteredPeersBenchmark.class);
        report(peers, "peers", "clustered", "random");
        report(peers, "peers", "samehash", "random");
    }

    private static Collection<RunResult> run(CommandLineOptions commandLine, Class<?> benchmark)
            throws RunnerException {
        Options options = new OptionsBuilder().parent(commandLine).include(benchmark.getName() + "\\.").build();
        return new Runner(options).run();
    }

    private static void report(Collection<RunResult> results, String param, String attacked, String random) {
        double attackedMillis = score(results, param, attacked);
        double randomMillis = score(results, param, random);
        System.out.printf(Locale.ROOT, "%s=%s: %.2f ms per interval, %s=%s: %.2f ms, ratio %.2f (target <= 2)%n",
                param, attacked, attackedMillis, param, random, randomMillis, attackedMillis / randomMillis);
    }

    private static double score(Collection<RunResult> results, String param, String value) {
        return results.stream()
                .filter(r -> value.equals(r.getParams().getParam(param)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + param + "=" + value))
                .getPrimaryResult().getScore();
    }
}
