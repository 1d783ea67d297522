package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.replay.ReplayBackendProvider;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NetworkMonitorReplayTest {
    private static final String TCP = "\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"10.0.0.1\",\"lport\":40000,"
            + "\"raddr\":\"10.0.0.2\",\"rport\":443,\"pid\":42,\"netns\":4026531840,\"direction\":\"outgoing\","
            + "\"established\":true,\"start_ns\":1000000000,\"ts_ns\":2000000000";

    private static String update(int cookie, int bytesSent) {
        return "{\"event\":\"update\",\"cookie\":" + cookie + "," + TCP + ",\"bytes_sent\":" + bytesSent + "}";
    }

    private static String closed(int cookie, int bytesSent) {
        return "{\"event\":\"closed\",\"cookie\":" + cookie + "," + TCP + ",\"bytes_sent\":" + bytesSent + "}";
    }

    private static final String TICK = "{\"event\":\"tick\"}";

    private static NetworkMonitor monitor(List<String> lines, MonitorConfig config) {
        return NetworkMonitor.builder().config(config).backend(ReplayBackendProvider.fromLines(lines)).build();
    }

    @Test
    void aVisitingPollGivesTheConnectionsAPollWould() {
        // given: the same replay in two monitors (each poll moves a replay one tick on)
        List<String> lines = List.of(update(1, 3), update(2, 4), TICK, closed(1, 8), TICK);
        try (NetworkMonitor visitedMonitor = monitor(lines, MonitorConfig.defaults());
                NetworkMonitor copiedMonitor = monitor(lines, MonitorConfig.defaults())) {
            FlowClient visiting = visitedMonitor.registerClient("exporter");
            FlowClient copying = copiedMonitor.registerClient("exporter");
            visitedMonitor.start();
            copiedMonitor.start();

            List<Integer> sizes = new ArrayList<>();
            for (int read = 0; read < 3; read++) {
                // when
                List<ConnectionStats> visited = new ArrayList<>();
                FlowSnapshot withoutConnections = visiting.poll(view -> visited.add(view.toStats()));
                FlowSnapshot copied = copying.poll();

                // then
                assertThat(visited).isEqualTo(copied.connections());
                assertThat(withoutConnections.connections()).isEmpty();
                assertThat(withoutConnections.telemetry().counters()).isEqualTo(copied.telemetry().counters());
                sizes.add(visited.size());
            }
            assertThat(sizes).containsExactly(1, 1, 0);
        }
    }

    @Test
    void pollingClientGetsDeltasPerTick() {
        List<String> lines = List.of(update(1, 3), TICK, closed(1, 8), closed(2, 5), TICK);
        try (NetworkMonitor monitor = monitor(lines, MonitorConfig.defaults())) {
            FlowClient client = monitor.registerClient("exporter");
            monitor.start();

            FlowSnapshot first = client.poll();
            FlowSnapshot second = client.poll();
            FlowSnapshot third = client.poll();

            assertThat(first.backend()).isEqualTo("replay");
            assertThat(first.connections()).singleElement()
                    .satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(3));
            assertThat(second.connections()).singleElement().satisfies(c -> {
                assertThat(c.last().bytesSent()).isEqualTo(5 + 5);
                assertThat(c.last().tcpClosed()).isEqualTo(2);
                assertThat(c.closed()).isTrue();
            });
            assertThat(third.connections()).isEmpty();
        }
    }

    @Test
    void dnsStatsReachEveryClientOnce() {
        List<String> lines = List.of(
                "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\",\"domain\":\"Example.COM\","
                        + "\"qtype\":\"A\",\"rcode\":0,\"latency_us\":1200}",
                "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\",\"domain\":\"example.com\","
                        + "\"qtype\":\"A\",\"rcode\":3,\"latency_us\":800}",
                "{\"event\":\"dns\",\"client\":\"10.0.0.1\",\"server\":\"10.0.0.53\",\"domain\":\"example.com\","
                        + "\"qtype\":\"A\",\"timeout\":true}",
                TICK);
        try (NetworkMonitor monitor = monitor(lines, MonitorConfig.defaults())) {
            FlowClient a = monitor.registerClient("a");
            FlowClient b = monitor.registerClient("b");
            monitor.start();

            List<DnsStats> forA = a.poll().dnsStats();
            List<DnsStats> forB = b.poll().dnsStats();

            assertThat(forA).singleElement().satisfies(d -> {
                assertThat(d.key().domain()).isEqualTo("example.com");
                assertThat(d.key().queryTypeName()).isEqualTo("A");
                assertThat(d.countsByRcode()).containsOnly(java.util.Map.entry(0, 1L), java.util.Map.entry(3, 1L));
                assertThat(d.timeouts()).isEqualTo(1);
                assertThat(d.successLatencySumMicros()).isEqualTo(1200);
                assertThat(d.failureLatencySumMicros()).isEqualTo(800);
            });
            assertThat(forB).isEqualTo(forA);
            assertThat(a.poll().dnsStats()).isEmpty();
        }
    }

    @Test
    void rejectedLinesAreCountedWithoutLosingOthers() {
        List<String> lines = List.of(update(1, 3), "{\"event\":\"update\",\"cookie\":\"x\"}", "not json",
                update(2, 4).replace("40000", "40001"), TICK);
        try (NetworkMonitor monitor = monitor(lines, MonitorConfig.defaults())) {
            FlowClient client = monitor.registerClient("c");
            monitor.start();

            FlowSnapshot snapshot = client.poll();

            assertThat(snapshot.connections()).hasSize(2);
            assertThat(snapshot.telemetry().get(ReplayBackendProvider.REJECTED_LINES)).isEqualTo(2);
        }
    }

    @Test
    void listenerReceivesSnapshotsEveryInterval() throws InterruptedException {
        List<String> lines = List.of(closed(1, 11), TICK);
        CountDownLatch delivered = new CountDownLatch(1);
        List<FlowSnapshot> received = new CopyOnWriteArrayList<>();
        try (NetworkMonitor monitor = monitor(lines, MonitorConfig.builder().interval(Duration.ofMillis(50)).build())) {
            monitor.addListener(snapshot -> {
                received.add(snapshot);
                if (!snapshot.connections().isEmpty()) {
                    delivered.countDown();
                }
            });
            monitor.start();

            assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(received.stream().flatMap(s -> s.connections().stream()))
                .singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(11));
    }

    @Test
    void aListenersOwnCountersReachEveryConsumerInTheNextSnapshot() {
        // given: a listener that counts 3 records it could not export, then 4 more
        java.util.concurrent.atomic.AtomicLong exportDropped = new java.util.concurrent.atomic.AtomicLong();
        FlowListener exporter = new FlowListener() {
            @Override
            public void onSnapshot(FlowSnapshot snapshot) {
            }

            @Override
            public java.util.Map<String, Long> telemetry() {
                return java.util.Map.of("export_dropped", exportDropped.get());
            }

            @Override
            public List<TelemetryCounter> telemetryCounters() {
                return List.of(TelemetryCounter.loss("export_dropped", "records the exporter could not send"));
            }
        };
        try (NetworkMonitor monitor = monitor(List.of(TICK, TICK, TICK), MonitorConfig.defaults())) {
            monitor.addListener(exporter);
            FlowClient client = monitor.registerClient("observer");
            monitor.start();

            // when
            exportDropped.set(3);
            Telemetry first = client.poll().telemetry();
            exportDropped.set(7);
            Telemetry second = client.poll().telemetry();
            Telemetry third = client.poll().telemetry();

            // then: each snapshot carries the increase since the previous one, and it counts as loss
            assertThat(first.get("export_dropped")).isEqualTo(3);
            assertThat(first.totalLoss()).isEqualTo(3);
            assertThat(second.get("export_dropped")).isEqualTo(4);
            assertThat(third.get("export_dropped")).isZero();
            assertThat(monitor.telemetry().get("export_dropped")).isEqualTo(7);
        }
    }

    @Test
    void throwingAndSlowListenersDoNotStopOthers() throws InterruptedException {
        List<String> lines = List.of(closed(1, 11), TICK, closed(2, 22), TICK, closed(3, 33), TICK);
        CountDownLatch healthyGotAll = new CountDownLatch(66);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> slowBytes = new CopyOnWriteArrayList<>();
        try (NetworkMonitor monitor = monitor(lines, MonitorConfig.builder().interval(Duration.ofMillis(20)).build())) {
            monitor.addListener(snapshot -> {
                throw new IllegalStateException("listener bug");
            });
            monitor.addListener(snapshot -> {
                slowBytes.add(snapshot.connections().stream().mapToLong(c -> c.last().bytesSent()).sum());
                await(release);
            });
            monitor.addListener(snapshot -> snapshot.connections()
                    .forEach(c -> java.util.stream.LongStream.range(0, c.last().bytesSent()).forEach(i -> healthyGotAll.countDown())));
            monitor.start();

            assertThat(healthyGotAll.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            // The slow listener loses nothing: what it missed comes in its next snapshot.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (slowBytes.stream().mapToLong(Long::longValue).sum() < 66 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(slowBytes.stream().mapToLong(Long::longValue).sum()).isEqualTo(66);
            Telemetry totals = monitor.telemetry();
            assertThat(totals.get(MonitorCounters.LISTENER_FAILURES)).isPositive();
            assertThat(totals.get(MonitorCounters.LISTENER_SKIPPED_INTERVALS)).isPositive();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void unavailableBackendsAreReportedWithTheirReasons() {
        FlowBackendProvider missing = new FlowBackendProvider() {
            @Override
            public String name() {
                return "kernel";
            }

            @Override
            public int priority() {
                return 10;
            }

            @Override
            public Availability availability(MonitorConfig config) {
                return Availability.unavailable("needs root");
            }

            @Override
            public FlowBackend open(BackendContext context) {
                throw new AssertionError("must not be opened");
            }

            @Override
            public List<TelemetryCounter> telemetryCounters() {
                return List.of();
            }
        };

        assertThatThrownBy(() -> NetworkMonitor.builder().backend(missing).build())
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("No cnm4j backend can run here: kernel: needs root");

        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(missing)
                .backend(ReplayBackendProvider.fromLines(List.of())).build()) {
            assertThat(monitor.capabilities().backend()).isEqualTo("replay");
            assertThat(monitor.capabilities().refusedBackends()).containsExactly(java.util.Map.entry("kernel", "needs root"));
            assertThat(monitor.capabilities().has(Feature.NAT)).isFalse();
        }
    }

    @Test
    void taggersAddTagsToDeliveredConnections() {
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(List.of(update(1, 3))))
                .taggers(key -> java.util.Map.of("service", "pid-" + key.pid())).build()) {
            FlowClient client = monitor.registerClient("c");
            monitor.start();

            assertThat(client.poll().connections()).singleElement()
                    .satisfies(c -> assertThat(c.tags()).containsExactly(java.util.Map.entry("service", "pid-42")));
        }
    }

    @Test
    void closingTwiceIsHarmlessAndPollingAfterCloseFails() {
        NetworkMonitor monitor = monitor(List.of(), MonitorConfig.defaults());
        FlowClient client = monitor.registerClient("c");
        monitor.start();

        monitor.close();
        monitor.close();

        assertThatThrownBy(client::poll).isInstanceOf(IllegalStateException.class).hasMessage("monitor is closed");
    }
}
