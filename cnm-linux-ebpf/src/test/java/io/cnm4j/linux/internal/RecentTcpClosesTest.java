package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RecentTcpClosesTest {
    @Test
    void answersForTheClosesReceivedBeforeTheReadStarted() {
        RecentTcpCloses closes = new RecentTcpCloses();
        closes.add(7);
        closes.add(1L << 40);
        closes.startRead();
        closes.add(9);

        assertThat(closes.contains(7)).isTrue();
        assertThat(closes.contains(1L << 40)).isTrue();
        assertThat(closes.contains(9)).as("received after the read started").isFalse();
        assertThat(closes.contains(8)).isFalse();

        closes.startRead();
        assertThat(closes.contains(9)).isTrue();
        assertThat(closes.contains(7)).as("a read covers only the closes since the previous one").isFalse();
    }

    @Test
    void holdsAStormOfClosesBetweenTwoReads() {
        RecentTcpCloses closes = new RecentTcpCloses();
        LongStream.rangeClosed(1, 100_000).forEach(cookie -> closes.add(cookie * 31));
        closes.startRead();

        assertThat(LongStream.rangeClosed(1, 100_000).filter(cookie -> closes.contains(cookie * 31)).count())
                .isEqualTo(100_000);
        assertThat(LongStream.rangeClosed(1, 100_000).filter(cookie -> closes.contains(cookie * 31 + 1)).count())
                .isZero();

        closes.startRead();
        assertThat(closes.contains(31)).isFalse();
    }
}
