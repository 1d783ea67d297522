package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.replay.ReplayBackendProvider;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendFallbackTest {
    /** Passes its own checks, then the host refuses it when it opens (as a verifier would). */
    private static final class RefusedAtOpen implements FlowBackendProvider {
        @Override
        public String name() {
            return "kernel";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public Availability availability(MonitorConfig config) {
            return Availability.available("checks passed");
        }

        @Override
        public FlowBackend open(BackendContext context) {
            throw new BackendUnavailableException("kernel could not load its programs",
                    Map.of("kernel", "could not load its programs: invalid argument"));
        }

        @Override
        public List<TelemetryCounter> telemetryCounters() {
            return List.of();
        }
    }

    @Test
    void aBackendRefusedWhenItOpensGivesWayToTheNextOneWithItsReason() {
        FlowBackendProvider replay = ReplayBackendProvider.fromLines(List.of());

        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(new RefusedAtOpen()).backend(replay).build()) {
            assertThat(monitor.capabilities().backend()).isEqualTo(replay.name());
            assertThat(monitor.capabilities().refusedBackends())
                    .containsEntry("kernel", "could not load its programs: invalid argument");
        }
    }

    @Test
    void aNamedBackendThatFailsToOpenIsNotReplaced() {
        FlowBackendProvider replay = ReplayBackendProvider.fromLines(List.of());
        MonitorConfig onlyKernel = MonitorConfig.builder().backend("kernel").build();

        assertThatThrownBy(() -> NetworkMonitor.builder().config(onlyKernel).backend(new RefusedAtOpen())
                .backend(replay).build())
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("kernel could not load its programs");
    }
}
