package io.cnm4j.windows.internal.flows;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the flow record's {@code timestamp} to nanoseconds since the Unix epoch. Its unit is
 * not settled by the public sources (the driver header says nanoseconds since boot, the newest
 * agent microseconds since boot, an older one nanoseconds since the epoch), so the unit is
 * detected from the first non-zero timestamp: a value near the current epoch time is epoch
 * nanoseconds; one beyond the uptime in microseconds cannot be microseconds since boot, so it is
 * nanoseconds since boot; anything else is microseconds since boot.
 *
 * <p>Boot time is taken once, from {@code GetTickCount64} and the wall clock, as the agent does.
 * Not thread-safe: used under the backend's read lock.
 */
public final class DriverTimestamps {
    private static final Logger LOG = LoggerFactory.getLogger(DriverTimestamps.class);

    /** The units a flow timestamp may have. */
    public enum Unit {
        MICROS_SINCE_BOOT,
        NANOS_SINCE_BOOT,
        NANOS_SINCE_EPOCH
    }

    /** Slack for a "fresh" timestamp against the uptime it is compared with. */
    private static final double UPTIME_SLACK = 1.5;

    private final long bootEpochNanos;
    private final long uptimeMillisAtStart;
    private final long nowEpochNanosAtStart;
    private Unit unit;

    /**
     * @param uptimeMillis {@code GetTickCount64()} at start
     * @param nowEpochNanos the wall clock at the same moment
     * @param fixedUnit the unit to use, or null to detect it
     */
    public DriverTimestamps(long uptimeMillis, long nowEpochNanos, Unit fixedUnit) {
        this.uptimeMillisAtStart = uptimeMillis;
        this.nowEpochNanosAtStart = nowEpochNanos;
        this.bootEpochNanos = nowEpochNanos - uptimeMillis * 1_000_000L;
        this.unit = fixedUnit;
    }

    /** The unit in use, or null before the first non-zero timestamp. */
    public Unit unit() {
        return unit;
    }

    /** Nanoseconds since the epoch for a record timestamp; 0 stays 0 (unknown). */
    public long toEpochNanos(long timestamp) {
        if (timestamp == 0) {
            return 0;
        }
        if (unit == null) {
            unit = detect(timestamp);
            LOG.info("driver flow timestamps read as {} (first value {}, uptime {} ms)", unit, timestamp,
                    uptimeMillisAtStart);
        }
        return switch (unit) {
            case MICROS_SINCE_BOOT -> bootEpochNanos + timestamp * 1_000L;
            case NANOS_SINCE_BOOT -> bootEpochNanos + timestamp;
            case NANOS_SINCE_EPOCH -> timestamp;
        };
    }

    Unit detect(long timestamp) {
        if (timestamp >= nowEpochNanosAtStart / 2) {
            return Unit.NANOS_SINCE_EPOCH;
        }
        double uptimeMicros = uptimeMillisAtStart * 1_000.0;
        return timestamp > uptimeMicros * UPTIME_SLACK ? Unit.NANOS_SINCE_BOOT : Unit.MICROS_SINCE_BOOT;
    }
}
