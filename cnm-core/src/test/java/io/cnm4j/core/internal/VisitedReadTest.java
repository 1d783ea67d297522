package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Direction;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.spi.ConnectionEvent;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A read handed to a visitor says exactly what the immutable read says, without allocating per connection. */
class VisitedReadTest {
    private static final String CLIENT = "c";

    @Test
    void visitedConnectionsEqualTheImmutableRead() {
        // given: the same history in two engines, covering aggregation, a close, a zero delta and intra-host ends
        ConnectionStateEngine visited = engineWith(VisitedReadTest::history);
        ConnectionStateEngine copied = engineWith(VisitedReadTest::history);

        // when
        List<ConnectionStats> viaVisitor = new ArrayList<>();
        visited.read(CLIENT, 1, Enricher.NONE, view -> viaVisitor.add(view.toStats()));
        List<ConnectionStats> viaList = copied.read(CLIENT, 1);

        // then
        assertThat(viaVisitor).isEqualTo(viaList).hasSize(3);
        assertThat(viaList).filteredOn(c -> c.key().localPort() == 40000).singleElement().satisfies(c -> {
            assertThat(c.last().bytesSent()).isEqualTo(100 + 7);
            assertThat(c.total().bytesSent()).isEqualTo(100 + 7);
            assertThat(c.closed()).isFalse();
        });
        assertThat(viaList).filteredOn(c -> c.key().localPort() == 80).singleElement()
                .satisfies(c -> assertThat(c.intraHost()).isTrue());
    }

    @Test
    void theViewGivesTheCountersOfEachConnectionDuringItsVisit() {
        ConnectionStateEngine engine = engineWith(VisitedReadTest::history);
        engine.read(CLIENT, 1);
        engine.apply(TestEvents.open(1, 150));
        engine.apply(TestEvents.tcp(6, 40006, 9, ConnectionEvent.Kind.CLOSED));

        List<String> seen = new ArrayList<>();
        engine.read(CLIENT, 2, Enricher.NONE, view -> seen.add(view.key().localPort() + " " + view.bytesSent() + "/"
                + view.totalBytesSent() + " closed=" + view.closed() + " tcpClosed=" + view.tcpClosed()));

        // closed flows first; a socket of the tuple without news (flow 2) is not part of the read
        assertThat(seen).containsExactly("40006 9/9 closed=true tcpClosed=1", "40000 50/150 closed=false tcpClosed=0");
    }

    @Test
    void aVisitedReadOfTenThousandConnectionsAllocatesLessThanOneBytePerConnection() {
        // given: 10,000 live flows, each with news for every read
        ConnectionStateEngine engine = new ConnectionStateEngine(MonitorConfig.defaults());
        engine.registerClient(CLIENT, false, 0);
        ConnectionEvent event = TestEvents.open(0, 0);
        long[] sink = new long[1];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        long allocated = 0;

        // when: 20 warm-up reads, then 20 measured ones
        for (int round = 1; round <= 40; round++) {
            for (int flow = 1; flow <= 10_000; flow++) {
                engine.apply(event.flowId(flow).cookie(flow).localPort(10_000 + flow).bytesSent(round * 10L));
            }
            long before = threads.getThreadAllocatedBytes(thread);
            engine.read(CLIENT, round, Enricher.NONE, view -> sink[0] += view.bytesSent());
            if (round > 20) {
                allocated += threads.getThreadAllocatedBytes(thread) - before;
            }
        }

        // then
        assertThat(sink[0]).isEqualTo(40 * 10L * 10_000);
        assertThat(allocated / 20).isLessThan(10_000);
    }

    private static ConnectionStateEngine engineWith(Consumer<ConnectionStateEngine> history) {
        ConnectionStateEngine engine = new ConnectionStateEngine(MonitorConfig.defaults());
        engine.registerClient(CLIENT, false, 0);
        history.accept(engine);
        return engine;
    }

    private static void history(ConnectionStateEngine engine) {
        // two sockets with one tuple: one connection
        engine.apply(TestEvents.open(1, 100));
        engine.apply(TestEvents.open(2, 7));
        // a connection that closes within the read
        engine.apply(TestEvents.tcp(3, 40002, 0, ConnectionEvent.Kind.UPDATE));
        engine.apply(TestEvents.tcp(3, 40002, 9, ConnectionEvent.Kind.CLOSED));
        // no counts yet: not reported
        engine.apply(TestEvents.tcp(4, 40004, 0, ConnectionEvent.Kind.UPDATE).establishedAfterStart(false));
        // the server side of 10.0.0.2:80: its remote end is another connection's local end
        ConnectionEvent server = TestEvents.tcp(5, 80, 3, ConnectionEvent.Kind.UPDATE).direction(Direction.INCOMING)
                .remotePort(40000);
        System.arraycopy(new byte[] {10, 0, 0, 2}, 0, server.localAddress(), 0, 4);
        System.arraycopy(new byte[] {10, 0, 0, 1}, 0, server.remoteAddress(), 0, 4);
        engine.apply(server);
    }
}
