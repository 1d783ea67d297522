package io.cnm4j.core.internal;

import static io.cnm4j.core.internal.TestEvents.closed;
import static io.cnm4j.core.internal.TestEvents.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.MonitorCounters;
import io.cnm4j.core.spi.ConnectionEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionStateEngineTest {
    private static final String CLIENT = "client";

    private ConnectionStateEngine engineWithClient(MonitorConfig config) {
        ConnectionStateEngine engine = new ConnectionStateEngine(config);
        engine.registerClient(CLIENT, false, 0);
        return engine;
    }

    private ConnectionStateEngine engineWithClient() {
        return engineWithClient(MonitorConfig.defaults());
    }

    @Test
    void shortLivedConnectionIsDeliveredWithItsBytes() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(closed(1, 3));
        List<ConnectionStats> read = engine.read(CLIENT, 1);

        assertThat(read).hasSize(1);
        assertThat(read.getFirst().last().bytesSent()).isEqualTo(3);
        assertThat(read.getFirst().last().tcpEstablished()).isEqualTo(1);
        assertThat(read.getFirst().last().tcpClosed()).isEqualTo(1);
        assertThat(read.getFirst().closed()).isTrue();
        assertThat(engine.read(CLIENT, 2)).isEmpty();
    }

    @Test
    void twoShortLivedConnectionsOnOneTupleAreSummed() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(closed(1, 3));
        engine.apply(closed(2, 5));
        List<ConnectionStats> read = engine.read(CLIENT, 1);

        assertThat(read).hasSize(1);
        assertThat(read.getFirst().last().bytesSent()).isEqualTo(8);
        assertThat(read.getFirst().total().bytesSent()).isEqualTo(8);
        assertThat(read.getFirst().last().tcpClosed()).isEqualTo(2);
        assertThat(read.getFirst().cookie()).isEqualTo(2);
    }

    @Test
    void openThenClosedAcrossTwoReadsGivesBothDeltas() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(open(1, 3));
        List<ConnectionStats> first = engine.read(CLIENT, 1);
        engine.apply(closed(1, 8));
        List<ConnectionStats> second = engine.read(CLIENT, 2);

        assertThat(first).singleElement().satisfies(c -> {
            assertThat(c.last().bytesSent()).isEqualTo(3);
            assertThat(c.last().tcpEstablished()).isEqualTo(1);
            assertThat(c.last().tcpClosed()).isZero();
            assertThat(c.closed()).isFalse();
        });
        assertThat(second).singleElement().satisfies(c -> {
            assertThat(c.last().bytesSent()).isEqualTo(5);
            assertThat(c.total().bytesSent()).isEqualTo(8);
            assertThat(c.last().tcpEstablished()).isZero();
            assertThat(c.last().tcpClosed()).isEqualTo(1);
            assertThat(c.closed()).isTrue();
        });
        assertThat(engine.read(CLIENT, 3)).isEmpty();
    }

    @Test
    void twoClientsReadingAtDifferentTimesGetIndependentDeltas() {
        ConnectionStateEngine engine = engineWithClient();
        engine.registerClient("other", false, 0);

        engine.apply(open(1, 3));
        List<ConnectionStats> clientFirst = engine.read(CLIENT, 1);
        engine.apply(open(1, 10));
        List<ConnectionStats> otherFirst = engine.read("other", 2);
        engine.apply(closed(1, 15));
        List<ConnectionStats> clientSecond = engine.read(CLIENT, 3);
        List<ConnectionStats> otherSecond = engine.read("other", 4);

        assertThat(clientFirst.getFirst().last().bytesSent()).isEqualTo(3);
        assertThat(otherFirst.getFirst().last().bytesSent()).isEqualTo(10);
        assertThat(clientSecond.getFirst().last().bytesSent()).isEqualTo(12);
        assertThat(otherSecond.getFirst().last().bytesSent()).isEqualTo(5);
        assertThat(engine.read(CLIENT, 5)).isEmpty();
        assertThat(engine.read("other", 6)).isEmpty();
    }

    @Test
    void closedConnectionIsDeliveredOnceToEveryRegisteredClient() {
        ConnectionStateEngine engine = engineWithClient();
        engine.registerClient("second", false, 0);

        engine.apply(closed(7, 100));

        assertThat(engine.read(CLIENT, 1)).singleElement()
                .satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(100));
        assertThat(engine.read("second", 1)).singleElement()
                .satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(100));
        assertThat(engine.read(CLIENT, 2)).isEmpty();
        assertThat(engine.read("second", 2)).isEmpty();
    }

    @Test
    void clientRegisteredAfterACloseDoesNotReceiveIt() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(closed(7, 100));
        engine.registerClient("late", false, 0);

        assertThat(engine.read("late", 1)).isEmpty();
        assertThat(engine.read(CLIENT, 1)).hasSize(1);
    }

    @Test
    void reusedTupleWithNewCookieDoesNotCorruptCounts() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(open(1, 100));
        engine.read(CLIENT, 1);
        engine.apply(closed(1, 150));
        engine.apply(open(2, 7));
        List<ConnectionStats> read = engine.read(CLIENT, 2);

        assertThat(read).singleElement().satisfies(c -> {
            assertThat(c.last().bytesSent()).isEqualTo(50 + 7);
            assertThat(c.total().bytesSent()).isEqualTo(150 + 7);
            assertThat(c.closed()).isFalse();
        });
    }

    @Test
    void counterGoingBackwardsIsNotReportedAsNegative() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(open(1, 100));
        engine.read(CLIENT, 1);
        engine.apply(open(1, 40));

        assertThat(engine.read(CLIENT, 2)).isEmpty();
        engine.apply(open(1, 130));
        assertThat(engine.read(CLIENT, 3)).singleElement()
                .satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(30));
    }

    @Test
    void zeroDeltaConnectionIsNotReported() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(open(1, 10));
        engine.read(CLIENT, 1);
        engine.apply(open(1, 10));

        assertThat(engine.read(CLIENT, 2)).isEmpty();
    }

    @Test
    void udpFlowClosingWithNothingNewIsStillDeliveredClosedOnce() {
        ConnectionStateEngine engine = engineWithClient();
        engine.apply(open(7, 10).protocol(Protocol.UDP));
        engine.read(CLIENT, 1);

        engine.apply(closed(7, 10).protocol(Protocol.UDP));
        List<ConnectionStats> afterClose = engine.read(CLIENT, 2);
        List<ConnectionStats> later = engine.read(CLIENT, 3);

        assertThat(afterClose).singleElement().satisfies(c -> {
            assertThat(c.closed()).isTrue();
            assertThat(c.last()).isEqualTo(Counters.ZERO);
            assertThat(c.total().bytesSent()).isEqualTo(10);
        });
        assertThat(later).isEmpty();
    }

    @Test
    void fullClosedBufferDropsEmptyConnectionsFirstAndCountsDrops() {
        ConnectionStateEngine engine = engineWithClient(MonitorConfig.builder().closedBufferSize(2).build());

        engine.apply(closed(1, 0));
        engine.apply(closed(2, 20));
        engine.apply(closed(3, 30));
        engine.apply(closed(4, 0));
        engine.apply(closed(5, 50));

        List<ConnectionStats> read = engine.read(CLIENT, 1);
        assertThat(read).singleElement().satisfies(c -> {
            assertThat(c.last().bytesSent()).isEqualTo(20 + 30);
            assertThat(c.last().tcpClosed()).isEqualTo(2);
        });
        assertThat(engine.counters()).containsEntry(MonitorCounters.CLOSED_CONN_DROPPED.name(), 3L);
    }

    @Test
    void maxTrackedConnectionsLimitsLiveFlowsAndCountsDrops() {
        ConnectionStateEngine engine = engineWithClient(MonitorConfig.builder().maxTrackedConnections(2).build());

        engine.apply(TestEvents.tcp(1, 1001, 1, ConnectionEvent.Kind.UPDATE));
        engine.apply(TestEvents.tcp(2, 1002, 1, ConnectionEvent.Kind.UPDATE));
        engine.apply(TestEvents.tcp(3, 1003, 1, ConnectionEvent.Kind.UPDATE));

        assertThat(engine.activeCount()).isEqualTo(2);
        assertThat(engine.read(CLIENT, 1)).hasSize(2);
        assertThat(engine.counters()).containsEntry(MonitorCounters.CONN_DROPPED.name(), 1L);
    }

    @Test
    void perClientStateLimitSkipsNewConnectionsAndCountsThem() {
        ConnectionStateEngine engine = engineWithClient(MonitorConfig.builder().maxClientConnections(1).build());

        engine.apply(TestEvents.tcp(1, 1001, 1, ConnectionEvent.Kind.UPDATE));
        engine.apply(TestEvents.tcp(2, 1002, 1, ConnectionEvent.Kind.UPDATE));

        assertThat(engine.read(CLIENT, 1)).hasSize(1);
        assertThat(engine.counters()).containsEntry(MonitorCounters.CLIENT_STATE_DROPPED.name(), 1L);
    }

    @Test
    void idleClientExpiresAndReadingItFails() {
        ConnectionStateEngine engine = engineWithClient(
                MonitorConfig.builder().clientExpiry(java.time.Duration.ofSeconds(1)).build());
        engine.registerClient("pinned", true, 0);

        engine.expireClients(2_000_000_000L);

        assertThat(engine.hasClient(CLIENT)).isFalse();
        assertThat(engine.hasClient("pinned")).isTrue();
        assertThat(engine.counters()).containsEntry(MonitorCounters.CLIENTS_EXPIRED.name(), 1L);
        assertThatThrownBy(() -> engine.read(CLIENT, 3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'client' is not registered");
    }

    @Test
    void failureIsReportedByErrnoOnTheClosedConnection() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(closed(1, 0).failureErrno(111).establishedAfterStart(false));
        engine.apply(closed(2, 0).failureErrno(111).establishedAfterStart(false));
        engine.apply(closed(3, 0).failureErrno(104).establishedAfterStart(false));

        assertThat(engine.read(CLIENT, 1)).singleElement()
                .satisfies(c -> assertThat(c.tcpFailures()).isEqualTo(Map.of(111, 2L, 104, 1L)));
    }

    @Test
    void untrackedErrnoIsNotReported() {
        ConnectionStateEngine engine = engineWithClient(MonitorConfig.builder().trackedFailures("ECONNRESET").build());

        engine.apply(closed(1, 0).failureErrno(111));

        assertThat(engine.read(CLIENT, 1)).singleElement()
                .satisfies(c -> assertThat(c.tcpFailures()).isEmpty());
    }

    @Test
    void rttIsAveragedOverFlowsOfOneTuple() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(open(1, 1).rttMicros(100).rttVarMicros(10));
        engine.apply(open(2, 1).rttMicros(300).rttVarMicros(30));

        assertThat(engine.read(CLIENT, 1)).singleElement().satisfies(c -> {
            assertThat(c.rttMicros()).isEqualTo(200);
            assertThat(c.rttVarMicros()).isEqualTo(20);
        });
    }

    @Test
    void excludedDestinationIsNeverDelivered() {
        ConnectionStateEngine engine = engineWithClient(
                MonitorConfig.builder().excludeDestination("10.0.0.0/24", "tcp 80").build());

        engine.apply(open(1, 5));
        engine.apply(closed(2, 5));

        assertThat(engine.read(CLIENT, 1)).isEmpty();
    }

    @Test
    void loopbackConnectionIsIntraHost() {
        ConnectionStateEngine engine = engineWithClient();
        ConnectionEvent event = open(1, 5);
        byte[] loopback = {127, 0, 0, 1};
        System.arraycopy(loopback, 0, event.localAddress(), 0, 4);
        System.arraycopy(loopback, 0, event.remoteAddress(), 0, 4);

        engine.apply(event);
        engine.apply(TestEvents.tcp(2, 40001, 5, ConnectionEvent.Kind.UPDATE));

        List<ConnectionStats> read = engine.read(CLIENT, 1);
        assertThat(read).extracting(c -> c.key().localPort() + ":" + c.intraHost())
                .containsExactlyInAnyOrder("40000:true", "40001:false");
    }

    @Test
    void flowMissingFromFullReadsPastTheGraceIsClosedAndCounted() {
        ConnectionStateEngine engine = engineWithClient();
        engine.beginRefresh(0);
        engine.apply(open(1, 10));
        engine.apply(TestEvents.tcp(2, 40001, 20, ConnectionEvent.Kind.UPDATE));
        engine.read(CLIENT, 1);

        engine.beginRefresh(4_000);
        engine.apply(TestEvents.tcp(2, 40001, 25, ConnectionEvent.Kind.UPDATE));
        engine.closeVanished(4_000, 5_000);
        assertThat(engine.activeCount()).isEqualTo(2);
        engine.beginRefresh(6_000);
        engine.apply(TestEvents.tcp(2, 40001, 25, ConnectionEvent.Kind.UPDATE));
        engine.closeVanished(6_000, 5_000);

        assertThat(engine.activeCount()).isEqualTo(1);
        assertThat(engine.counters()).containsEntry(MonitorCounters.CONN_VANISHED.name(), 1L);
        assertThat(engine.read(CLIENT, 2)).extracting(c -> c.key().localPort() + ":" + c.closed() + ":" + c.last().bytesSent())
                .containsExactlyInAnyOrder("40000:true:0", "40001:false:5");
    }

    @Test
    void flowFirstSeenWithoutPidTakesThePidLearnedLater() {
        ConnectionStateEngine engine = engineWithClient();

        engine.apply(open(1, 10).pid(0));
        List<ConnectionStats> first = engine.read(CLIENT, 1);
        engine.apply(open(1, 15).pid(4242));
        List<ConnectionStats> second = engine.read(CLIENT, 2);

        assertThat(first).singleElement().satisfies(c -> assertThat(c.key().pid()).isZero());
        assertThat(second).singleElement().satisfies(c -> {
            assertThat(c.key().pid()).isEqualTo(4242);
            assertThat(c.last().bytesSent()).isEqualTo(5);
        });
    }

    @Test
    void twoUdpPeersConstructedToShareAnUnkeyedIdStaySeparateWithExactBytes() {
        // given: one UDP server socket; the attacker picked an interface id in its own /64 so that
        // its flow has the victim's former (unkeyed) id
        ConnectionStateEngine engine = engineWithClient();
        long cookie = 9001;
        byte[] victim = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        long word0 = FormerUdpFlowId.littleEndianWord(victim, 0);
        long sharedId = FormerUdpFlowId.of(cookie, word0, FormerUdpFlowId.littleEndianWord(victim, 8), 5353);
        byte[] attacker = victim.clone();
        attacker[7] = 0x66;
        long attackerWord0 = FormerUdpFlowId.littleEndianWord(attacker, 0);
        FormerUdpFlowId.putLittleEndianWord(attacker, 8,
                FormerUdpFlowId.peerWord1For(sharedId, cookie, attackerWord0, 5353));
        assertThat(FormerUdpFlowId.of(cookie, attackerWord0, FormerUdpFlowId.littleEndianWord(attacker, 8), 5353))
                .isEqualTo(sharedId);

        // when
        engine.apply(udpFromPeer(sharedId, cookie, victim, 100, 2));
        engine.apply(udpFromPeer(sharedId, cookie, attacker, 5_000, 50));
        engine.apply(udpFromPeer(sharedId, cookie, victim, 160, 3));
        List<ConnectionStats> read = engine.read(CLIENT, 1);

        // then
        assertThat(read).extracting(c -> c.key().remoteAddress().getHostAddress() + " " + c.last().bytesReceived()
                        + " " + c.last().packetsReceived())
                .containsExactlyInAnyOrder("2001:db8:0:0:0:0:0:1 160 3",
                        hostAddress(attacker) + " 5000 50");
        assertThat(engine.activeCount()).isEqualTo(2);
        assertThat(engine.counters()).containsEntry(MonitorCounters.FLOW_ID_COLLISIONS.name(), 1L);
    }

    @Test
    void closingOneOfTwoFlowsSharingAnIdKeepsTheOtherLive() {
        // given
        ConnectionStateEngine engine = engineWithClient();
        engine.apply(TestEvents.tcp(7, 40000, 10, ConnectionEvent.Kind.UPDATE));
        engine.apply(TestEvents.tcp(7, 40001, 20, ConnectionEvent.Kind.UPDATE));
        engine.read(CLIENT, 1);

        // when: the first of the two closes, the second keeps sending
        engine.apply(TestEvents.tcp(7, 40000, 11, ConnectionEvent.Kind.CLOSED));
        engine.apply(TestEvents.tcp(7, 40001, 26, ConnectionEvent.Kind.UPDATE));
        List<ConnectionStats> read = engine.read(CLIENT, 2);

        // then
        assertThat(read).extracting(c -> c.key().localPort() + ":" + c.closed() + ":" + c.last().bytesSent())
                .containsExactlyInAnyOrder("40000:true:1", "40001:false:6");
        assertThat(engine.activeCount()).isEqualTo(1);
    }

    private static ConnectionEvent udpFromPeer(long flowId, long cookie, byte[] peer, long bytesReceived,
            long packetsReceived) {
        ConnectionEvent event = new ConnectionEvent()
                .kind(ConnectionEvent.Kind.UPDATE)
                .flowId(flowId)
                .cookie(cookie)
                .family(io.cnm4j.core.Family.V6)
                .protocol(io.cnm4j.core.Protocol.UDP)
                .localPort(53)
                .remotePort(5353)
                .pid(42)
                .direction(io.cnm4j.core.Direction.INCOMING)
                .bytesReceived(bytesReceived)
                .packetsReceived(packetsReceived);
        event.localAddress()[15] = 0x53;
        System.arraycopy(peer, 0, event.remoteAddress(), 0, 16);
        return event;
    }

    private static String hostAddress(byte[] address) {
        try {
            return java.net.InetAddress.getByAddress(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
