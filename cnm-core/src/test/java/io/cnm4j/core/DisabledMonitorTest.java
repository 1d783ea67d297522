package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DisabledMonitorTest {
    /** A provider that is always available and counts how often it is asked to open a backend. */
    private static final class CountingProvider implements FlowBackendProvider {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public Availability availability(MonitorConfig config) {
            asked.incrementAndGet();
            return Availability.available("always, for the test");
        }

        @Override
        public FlowBackend open(BackendContext context) {
            opened.incrementAndGet();
            throw new IllegalStateException("a disabled monitor must not open a backend");
        }

        @Override
        public List<TelemetryCounter> telemetryCounters() {
            return List.of();
        }
    }

    @Test
    void disabledMonitorOpensNoBackendAndSaysWhyEveryFeatureIsOff() {
        CountingProvider provider = new CountingProvider();
        MonitorConfig config = MonitorConfig.builder().enabled(false).build();

        try (NetworkMonitor monitor = NetworkMonitor.builder().config(config).backend(provider).build()) {
            monitor.start();
            FlowClient client = monitor.registerClient("c");

            assertThat(provider.opened).hasValue(0);
            assertThat(provider.asked).hasValue(0);
            assertThat(monitor.capabilities().backend()).isEqualTo("disabled");
            assertThat(monitor.capabilities().features().values())
                    .allSatisfy(status -> assertThat(status.enabled()).isFalse())
                    .allSatisfy(status -> assertThat(status.reason()).contains("enabled=false"));
            assertThat(client.poll().connections()).isEmpty();
        }
    }
}
