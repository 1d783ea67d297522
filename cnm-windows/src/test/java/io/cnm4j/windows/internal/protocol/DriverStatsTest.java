package io.cnm4j.windows.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriverStatsTest {
    /** Counter i holds 1000 + i, so that every field's position is checked. */
    private static MemorySegment numbered(int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size / 8; i++) {
            b.putLong(i * 8, 1000 + i);
        }
        return MemorySegment.ofArray(b.array());
    }

    @Test
    void version18FlowGroupHas25CountersAndTheTwoLossesEndInDropped() {
        Map<String, Long> flow = DriverStats.decode(DriverVersion.V18, numbered(280), 280, false);
        assertThat(flow).hasSize(25);
        assertThat(flow.get("driver_num_flow_collisions")).isEqualTo(1000);
        assertThat(flow.get(DriverStats.OPEN_FLOWS_DROPPED)).isEqualTo(1001);
        assertThat(flow.get(DriverStats.CLOSED_FLOWS_DROPPED)).isEqualTo(1002);
        assertThat(flow.get("driver_closed_table_removes")).isEqualTo(1010);
        assertThat(flow.get("driver_no_state_at_outbound_transport")).isEqualTo(1024);
        assertThat(DriverStats.transportOffset(DriverVersion.V18)).isEqualTo(200);
    }

    @Test
    void transportGroupStartsAt200InVersion18And152Before() {
        Map<String, Long> v18 = DriverStats.decode(DriverVersion.V18, numbered(280), 280, true);
        assertThat(v18).containsExactly(Map.entry(DriverStats.PACKETS_SKIPPED_DROPPED, 1025L),
                Map.entry("driver_read_calls_requested", 1026L), Map.entry("driver_read_calls_completed", 1027L),
                Map.entry("driver_read_calls_cancelled", 1028L));
        Map<String, Long> v16 = DriverStats.decode(DriverVersion.V16, numbered(216), 216, true);
        assertThat(v16.get(DriverStats.PACKETS_SKIPPED_DROPPED)).isEqualTo(1019);
        assertThat(DriverStats.decode(DriverVersion.V14, numbered(216), 216, false)).hasSize(19)
                .containsEntry("driver_classify_response_no_request", 1018L);
        assertThat(DriverStats.httpFields(DriverVersion.V18)).hasSize(6);
        assertThat(DriverStats.httpFields(DriverVersion.V14)).hasSize(4);
    }

    @Test
    void theThreeGroupsFillTheWholeStatsBlockOfEachVersion() {
        for (DriverVersion version : DriverVersion.values()) {
            int counters = DriverStats.flowFields(version).size() + DriverStats.transportFields().size()
                    + DriverStats.httpFields(version).size();
            assertThat(counters * 8).as("STATS %s", version).isEqualTo(version.statsSize());
        }
    }

    @Test
    void aShortStatsBlockIsRefused() {
        assertThatThrownBy(() -> DriverStats.decode(DriverVersion.V18, numbered(280), 216, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("STATS of version 0x18 needs 280 bytes, got 216");
    }
}
