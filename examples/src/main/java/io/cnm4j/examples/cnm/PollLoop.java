package io.cnm4j.examples.cnm;

import io.cnm4j.core.FlowSnapshot;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Polls a client every interval for a duration: poll {@code i} happens at
 * {@code min(i × interval, duration)} after the start, so a run makes exactly
 * {@code ceil(duration / interval)} polls however late each one is.
 *
 * @param interval time between polls
 * @param duration total time, or null to poll until stopped
 */
record PollLoop(Duration interval, Duration duration) {
    PollLoop {
        Objects.requireNonNull(interval, "interval");
    }

    /** Polls that a run without stop makes; {@link Long#MAX_VALUE} when the duration is unbounded. */
    long polls() {
        if (duration == null) {
            return Long.MAX_VALUE;
        }
        long intervalNanos = interval.toNanos();
        return (duration.toNanos() + intervalNanos - 1) / intervalNanos;
    }

    /**
     * Runs {@code poll} (a client's poll) until every poll is made or {@code stop} is triggered. On a stop, one last poll hands
     * over what happened since the previous one, so closed connections are not lost; unless
     * {@code pollOnStop} is false.
     */
    void run(Supplier<FlowSnapshot> poll, StopSignal stop, boolean pollOnStop, Consumer<FlowSnapshot> sink) {
        long start = System.nanoTime();
        long polls = polls();
        for (long i = 1; i <= polls; i++) {
            long offset = duration == null ? interval.toNanos() * i : Math.min(interval.toNanos() * i, duration.toNanos());
            if (stop.awaitUntil(start + offset)) {
                if (pollOnStop) {
                    sink.accept(poll.get());
                }
                return;
            }
            sink.accept(poll.get());
        }
    }
}
