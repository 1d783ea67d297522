package io.cnm4j.core.internal;

import static io.cnm4j.core.internal.TestEvents.closed;
import static io.cnm4j.core.internal.TestEvents.open;
import static io.cnm4j.core.internal.TestEvents.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.spi.ConnectionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clients keep what they were given of a flow by its slot; a slot is reused only once no client can ask about its flow. */
class FlowSlotReuseTest {
    private final ConnectionStateEngine engine = new ConnectionStateEngine(MonitorConfig.defaults());

    @Test
    void aSlotIsReusedOnlyAfterEveryClientReadTheClosedFlowAndNewFlowsStartFromNothing() {
        // given
        twoClientsGiven100BytesOfFlow1ThatThenClosesAt150();

        // when: one client reads the close, a flow opens, the other client reads, then a third flow opens
        List<ConnectionStats> aClose = engine.read("a", 2);
        engine.apply(tcp(2, 40001, 7, ConnectionEvent.Kind.UPDATE));
        List<ConnectionStats> bClose = engine.read("b", 3);
        List<ConnectionStats> aSecond = engine.read("a", 4);
        engine.apply(tcp(3, 40002, 9, ConnectionEvent.Kind.UPDATE));
        List<ConnectionStats> aThird = engine.read("a", 5);
        List<ConnectionStats> bThird = engine.read("b", 5);

        // then: every delta is exact, none taken from another flow that held the slot
        assertThat(aClose).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(50));
        assertThat(bClose).extracting(c -> c.key().localPort(), c -> c.last().bytesSent(), ConnectionStats::closed)
                .containsExactly(tuple(40000, 50L, true),
                        tuple(40001, 7L, false));
        assertThat(aSecond).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(7));
        assertThat(aThird).singleElement().satisfies(c -> {
            assertThat(c.key().localPort()).isEqualTo(40002);
            assertThat(c.last().bytesSent()).isEqualTo(9);
            assertThat(c.last().tcpEstablished()).isEqualTo(1);
        });
        assertThat(bThird).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(9));
    }

    @Test
    void aClientThatLeavesWithClosedFlowsBufferedFreesTheirSlots() {
        // given: one client leaves before reading the close
        twoClientsGiven100BytesOfFlow1ThatThenClosesAt150();
        engine.unregisterClient("b");

        // when
        List<ConnectionStats> close = engine.read("a", 2);
        engine.apply(tcp(2, 40001, 20, ConnectionEvent.Kind.UPDATE));
        engine.apply(tcp(3, 40002, 30, ConnectionEvent.Kind.UPDATE));
        List<ConnectionStats> next = engine.read("a", 3);

        // then
        assertThat(close).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(50));
        assertThat(next).extracting(c -> c.last().bytesSent()).containsExactlyInAnyOrder(20L, 30L);
    }

    private void twoClientsGiven100BytesOfFlow1ThatThenClosesAt150() {
        engine.registerClient("a", false, 0);
        engine.registerClient("b", false, 0);
        engine.apply(open(1, 100));
        engine.read("a", 1);
        engine.read("b", 1);
        engine.apply(closed(1, 150));
    }

    @Test
    void aVisitorSeesEachGroupSummedBeforeTheClientIsMovedPastIt() {
        // given: two live sockets on one tuple (a reused tuple with a new cookie) and another tuple
        engine.registerClient("a", false, 0);
        engine.apply(open(1, 10));
        engine.apply(open(2, 20));
        engine.apply(tcp(3, 40001, 5, ConnectionEvent.Kind.UPDATE));
        engine.read("a", 1);
        engine.apply(open(1, 11));
        engine.apply(open(2, 24));
        engine.apply(tcp(3, 40001, 8, ConnectionEvent.Kind.UPDATE));

        // when
        List<long[]> visited = new ArrayList<>();
        engine.read("a", 2, Enricher.NONE,
                view -> visited.add(new long[] {view.key().localPort(), view.bytesSent(), view.totalBytesSent()}));

        // then
        assertThat(visited).containsExactlyInAnyOrder(new long[] {40000, 5, 35}, new long[] {40001, 3, 8});
        assertThat(engine.read("a", 3)).isEmpty();
    }
}
