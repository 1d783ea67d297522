package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionVisitor;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollLoopTest {
    /** A client that hands out empty snapshots and counts polls. */
    private static final class CountingClient implements FlowClient {
        private int polls;

        @Override
        public String id() {
            return "counting";
        }

        @Override
        public FlowSnapshot poll() {
            polls++;
            return new FlowSnapshot(Snapshots.T0, "test", List.of(), List.of(), Telemetry.empty());
        }

        @Override
        public FlowSnapshot poll(ConnectionVisitor visitor) {
            return poll();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aRunPollsOncePerStartedInterval() {
        assertThat(new PollLoop(Duration.ofSeconds(10), Duration.ofSeconds(30)).polls()).isEqualTo(3);
        assertThat(new PollLoop(Duration.ofSeconds(10), Duration.ofSeconds(25)).polls()).isEqualTo(3);
        assertThat(new PollLoop(Duration.ofSeconds(10), Duration.ofSeconds(5)).polls()).isEqualTo(1);
        assertThat(new PollLoop(Duration.ofSeconds(10), null).polls()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void everyScheduledPollIsDeliveredEvenWhenLate() {
        // given
        CountingClient client = new CountingClient();
        List<FlowSnapshot> delivered = new ArrayList<>();

        // when
        try (StopSignal stop = StopSignal.onShutdown()) {
            new PollLoop(Duration.ofMillis(5), Duration.ofMillis(23)).run(client::poll, stop, true, delivered::add);
        }

        // then
        assertThat(client.polls).isEqualTo(5);
        assertThat(delivered).hasSize(5);
    }

    @Test
    void aStopEndsTheRunWithOneLastPollWhenAsked() {
        CountingClient withLastPoll = new CountingClient();
        CountingClient withoutLastPoll = new CountingClient();

        try (StopSignal stop = StopSignal.onShutdown()) {
            stop.trigger();
            new PollLoop(Duration.ofHours(1), null).run(withLastPoll::poll, stop, true, s -> { });
            new PollLoop(Duration.ofHours(1), null).run(withoutLastPoll::poll, stop, false, s -> { });
        }

        assertThat(withLastPoll.polls).isEqualTo(1);
        assertThat(withoutLastPoll.polls).isZero();
    }
}
