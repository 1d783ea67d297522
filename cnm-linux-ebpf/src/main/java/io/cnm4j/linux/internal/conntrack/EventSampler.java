package io.cnm4j.linux.internal.conntrack;

import java.util.SplittableRandom;

/**
 * Limits conntrack events to about {@code limitPerSecond} by random sampling, as Datadog's
 * conntracker does: in each one-second window an event is kept with the probability
 * {@code limit / events of the previous window}, and never more than {@code limit} per window.
 * Used by the conntrack thread only.
 */
final class EventSampler {
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int limitPerSecond;
    private final SplittableRandom random;
    private long windowStartNanos = Long.MIN_VALUE;
    private long seenInWindow;
    private long keptInWindow;
    private double keepProbability = 1.0;

    EventSampler(int limitPerSecond, long seed) {
        if (limitPerSecond < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limitPerSecond);
        }
        this.limitPerSecond = limitPerSecond;
        this.random = new SplittableRandom(seed);
    }

    /** True when the event at {@code nowNanos} is to be processed; false to skip it (the caller counts it). */
    boolean keep(long nowNanos) {
        if (windowStartNanos == Long.MIN_VALUE || nowNanos - windowStartNanos >= WINDOW_NANOS) {
            boolean previousWindowJustEnded = windowStartNanos != Long.MIN_VALUE
                    && nowNanos - windowStartNanos < 2 * WINDOW_NANOS;
            keepProbability = previousWindowJustEnded && seenInWindow > limitPerSecond
                    ? (double) limitPerSecond / seenInWindow : 1.0;
            windowStartNanos = nowNanos;
            seenInWindow = 0;
            keptInWindow = 0;
        }
        seenInWindow++;
        if (keptInWindow < limitPerSecond && (keepProbability >= 1.0 || random.nextDouble() < keepProbability)) {
            keptInWindow++;
            return true;
        }
        return false;
    }
}
