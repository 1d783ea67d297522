package io.cnm4j.windows.internal.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.windows.internal.ScriptedDriverChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClosedFlowsWaiterTest {
    private final ScriptedDriverChannel channel = new ScriptedDriverChannel();
    private final long ready = channel.createEvent(WindowsDriverBackend.CLOSED_FLOWS_EVENT, true);
    private final long stop = channel.createEvent(null, true);
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void eachSignalReadsTheClosedTableOnceAndStopEndsTheThread() throws Exception {
        ClosedFlowsWaiter waiter = new ClosedFlowsWaiter(channel, stop, ready, reads::incrementAndGet);
        waiter.start();
        channel.pulse(WindowsDriverBackend.CLOSED_FLOWS_EVENT);
        awaitReads(1);
        Thread.sleep(ClosedFlowsWaiter.MIN_SPACING_MILLIS * 2L);
        channel.pulse(WindowsDriverBackend.CLOSED_FLOWS_EVENT);
        awaitReads(2);
        assertThat(waiter.stop()).isTrue();
        assertThat(reads.get()).isEqualTo(2);
        assertThat(waiter.wakeups()).isEqualTo(2);
        assertThat(waiter.waitFailures()).isZero();
    }

    @Test
    void aFailedWaitEndsTheWaiterCountedWithoutReading() {
        channel.failWaits();
        ClosedFlowsWaiter waiter = new ClosedFlowsWaiter(channel, stop, ready, reads::incrementAndGet);
        waiter.run();
        assertThat(waiter.waitFailures()).isEqualTo(1);
        assertThat(reads.get()).isZero();
    }

    private void awaitReads(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (reads.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(reads.get()).isEqualTo(count);
    }
}
