package io.cnm4j.bench.load;

import java.nio.file.Path;

/**
 * The load harness's options, each with its default.
 *
 * @param seconds length of each measured storm
 * @param warmUpSeconds storm (and request/response) run before each capture's measured run
 * @param rate storm target in connections/s; 0 for as fast as the machine goes
 * @param concurrency storm transactions in flight at once
 * @param threads storm generator threads (each with its own epoll loop and listener)
 * @param rounds how many times each table is measured (each round has its own capture-off run)
 * @param rrConnections connections of the project's own request/response client
 * @param rrSeconds length of each request/response run
 * @param redisClients redis-benchmark connections ({@code -c})
 * @param redisRequests redis-benchmark requests per run ({@code -n})
 * @param cnmJar the {@code cnm} tool's jar, for the {@code cnm watch --json} runs
 */
record HarnessOptions(int seconds, int warmUpSeconds, int rate, int concurrency, int threads, int rounds,
        int rrConnections, int rrSeconds, int redisClients, int redisRequests, Path cnmJar) {

    static final String USAGE = "usage: LoadHarness [--seconds 10] [--warm-up-seconds 3] [--rate 0] [--concurrency 64]"
            + " [--threads 1] [--rounds 1] [--rr-connections 4] [--rr-seconds 10] [--redis-clients 16]"
            + " [--redis-requests 300000] [--cnm-jar examples/target/cnm.jar]";

    static HarnessOptions parse(String... args) {
        int seconds = 10;
        int warmUpSeconds = 3;
        int rate = 0;
        int concurrency = 64;
        int threads = 1;
        int rounds = 1;
        int rrConnections = 4;
        int rrSeconds = 10;
        int redisClients = 16;
        int redisRequests = 300_000;
        Path cnmJar = Path.of("examples/target/cnm.jar");
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("option " + args[args.length - 1] + " has no value; " + USAGE);
        }
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--seconds" -> seconds = atLeast(1, args[i], value);
                case "--warm-up-seconds" -> warmUpSeconds = atLeast(1, args[i], value);
                case "--rate" -> rate = atLeast(0, args[i], value);
                case "--concurrency" -> concurrency = atLeast(1, args[i], value);
                case "--threads" -> threads = atLeast(1, args[i], value);
                case "--rounds" -> rounds = atLeast(1, args[i], value);
                case "--rr-connections" -> rrConnections = atLeast(1, args[i], value);
                case "--rr-seconds" -> rrSeconds = atLeast(1, args[i], value);
                case "--redis-clients" -> redisClients = atLeast(1, args[i], value);
                case "--redis-requests" -> redisRequests = atLeast(1, args[i], value);
                case "--cnm-jar" -> cnmJar = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
            }
        }
        return new HarnessOptions(seconds, warmUpSeconds, rate, concurrency, threads, rounds, rrConnections,
                rrSeconds, redisClients, redisRequests, cnmJar);
    }

    /** {@link #parse}, or the message on standard error and exit status 2 for a command line it refuses. */
    static HarnessOptions parseOrExit(String... args) {
        try {
            return parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    private static int atLeast(int minimum, String option, String value) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= minimum) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the option's name
        }
        throw new IllegalArgumentException(option + " needs a whole number of at least " + minimum + ", got " + value);
    }
}
