package io.cnm4j.windows.internal.flows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DriverTimestampsTest {
    private static final long NOW = 1_700_000_000_000_000_000L;
    /** Up for 10 days. */
    private static final long UPTIME_MS = 864_000_000L;
    private static final long BOOT = NOW - UPTIME_MS * 1_000_000L;

    @Test
    void aValueWithinTheUptimeInMicrosecondsIsMicrosecondsSinceBoot() {
        DriverTimestamps timestamps = new DriverTimestamps(UPTIME_MS, NOW, null);
        long fiveSecondsAgoMicros = (UPTIME_MS - 5_000) * 1_000;
        assertThat(timestamps.toEpochNanos(fiveSecondsAgoMicros)).isEqualTo(NOW - 5_000_000_000L);
        assertThat(timestamps.unit()).isEqualTo(DriverTimestamps.Unit.MICROS_SINCE_BOOT);
    }

    @Test
    void aValueBeyondTheUptimeInMicrosecondsIsNanosecondsSinceBoot() {
        DriverTimestamps timestamps = new DriverTimestamps(UPTIME_MS, NOW, null);
        long fiveSecondsAgoNanos = (UPTIME_MS - 5_000) * 1_000_000;
        assertThat(timestamps.toEpochNanos(fiveSecondsAgoNanos)).isEqualTo(NOW - 5_000_000_000L);
        assertThat(timestamps.unit()).isEqualTo(DriverTimestamps.Unit.NANOS_SINCE_BOOT);
        // The unit sticks: a later small value is read in the same unit.
        assertThat(timestamps.toEpochNanos(1_000)).isEqualTo(BOOT + 1_000);
    }

    @Test
    void aValueNearTheWallClockIsEpochNanoseconds() {
        DriverTimestamps timestamps = new DriverTimestamps(UPTIME_MS, NOW, null);
        assertThat(timestamps.toEpochNanos(NOW - 7)).isEqualTo(NOW - 7);
        assertThat(timestamps.unit()).isEqualTo(DriverTimestamps.Unit.NANOS_SINCE_EPOCH);
    }

    @Test
    void zeroStaysUnknownAndDoesNotDecideTheUnit() {
        DriverTimestamps timestamps = new DriverTimestamps(UPTIME_MS, NOW, null);
        assertThat(timestamps.toEpochNanos(0)).isZero();
        assertThat(timestamps.unit()).isNull();
    }

    @Test
    void aFixedUnitIsNeverDetected() {
        DriverTimestamps timestamps = new DriverTimestamps(UPTIME_MS, NOW, DriverTimestamps.Unit.NANOS_SINCE_BOOT);
        assertThat(timestamps.toEpochNanos(2_000)).isEqualTo(BOOT + 2_000);
    }
}
