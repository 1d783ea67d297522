package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.replay.ReplayBackendProvider;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ThreadNamesTest {
    @Test
    void everyThreadTheMonitorStartsIsNamedCnm4j() throws InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        CountDownLatch delivered = new CountDownLatch(1);
        MonitorConfig config = MonitorConfig.builder().interval(Duration.ofMillis(20)).build();
        try (NetworkMonitor monitor = NetworkMonitor.builder().config(config)
                .backend(ReplayBackendProvider.fromLines(List.of("{\"event\":\"tick\"}"))).build()) {
            monitor.addListener(snapshot -> delivered.countDown());
            FlowClient client = monitor.registerClient("poller");
            monitor.start();
            client.poll();
            assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();

            Set<String> started = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread))
                    .map(Thread::getName)
                    .collect(Collectors.toSet());

            assertThat(started).containsExactlyInAnyOrder("cnm4j-collector", "cnm4j-listener-1");
        }
    }
}
