package io.cnm4j.bench.load;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A capture that runs as a child process: its CPU is read from /proc, closing stops it. */
abstract class ChildCapture implements Capture {
    private final Process process;
    private final StormTally tally = new StormTally();

    ChildCapture(Process process) {
        this.process = process;
    }

    final Process process() {
        return process;
    }

    @Override
    public final long cpuNanos() throws IOException {
        return CpuTime.processNanos(process.pid());
    }

    @Override
    public final StormTally tally() {
        return tally;
    }

    /** SIGTERM, so that the child frees its kernel objects itself; SIGKILL after 10 s. */
    @Override
    public final void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
