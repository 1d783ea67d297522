package io.cnm4j.bench.load;

import java.io.IOException;

/**
 * One way of capturing the storm (the library in this JVM, {@code cnm watch --json} or tcplife
 * in a child process). Open means capturing: the factories return once the capture runs.
 */
interface Capture extends AutoCloseable {
    /** The name printed in the results. */
    String name();

    /** CPU time (user + system) the capturing process has used so far. */
    long cpuNanos() throws IOException;

    /** The storm's connections as this capture delivered them. */
    StormTally tally();

    @Override
    void close() throws IOException, InterruptedException;
}
