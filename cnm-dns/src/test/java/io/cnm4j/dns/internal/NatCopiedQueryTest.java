package io.cnm4j.dns.internal;

import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_A;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_AAAA;
import static io.cnm4j.dns.internal.DnsStatsKeeperTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.MonitorConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A lookup captured on a bridge with the container's address and again on the uplink with the
 * host's (MASQUERADE) counts once, under the copy captured first; lookups that only look alike do not.
 */
class NatCopiedQueryTest {
    private static final long T0 = 9_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final long WINDOW = DnsQueryMatcher.NAT_COPY_WINDOW.toNanos();
    private static final String CONTAINER = "172.17.0.2";
    private static final String OTHER_CONTAINER = "172.17.0.3";
    private static final String HOST = "192.168.1.10";
    private static final String SERVER = "192.168.1.1";
    private static final String OTHER_SERVER = "192.168.1.2";
    private static final int PORT = 40000;
    private static final int NAT_PORT = 61000;

    private final DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
    private final DnsPacketFlow flow = new DnsPacketFlow();

    @Test
    void aLookupSeenOnTheBridgeAndAfterMasqueradeOnTheUplinkCountsOnceForTheContainer() throws Exception {
        // when: the order a host captures in: bridge port and bridge (same client), uplink after
        // NAT, the uplink's answer, then the bridge's answer after de-NAT
        query(CONTAINER, PORT, SERVER, 0x1111, "a.example", TYPE_A, T0);
        query(CONTAINER, PORT, SERVER, 0x1111, "a.example", TYPE_A, T0 + 10_000);
        query(HOST, NAT_PORT, SERVER, 0x1111, "a.example", TYPE_A, T0 + 20_000);
        answer(SERVER, HOST, NAT_PORT, 0x1111, "a.example", TYPE_A, T0 + 3 * MILLI);
        answer(SERVER, CONTAINER, PORT, 0x1111, "a.example", TYPE_A, T0 + 3 * MILLI + 20_000);

        // then
        assertThat(drain()).containsOnlyKeys(key(CONTAINER, SERVER, "a.example", TYPE_A))
                .allSatisfy((key, stats) -> {
                    assertThat(stats.countsByRcode()).isEqualTo(Map.of(0, 1L));
                    assertThat(stats.successLatencySumMicros()).isEqualTo(3_020);
                    assertThat(stats.timeouts()).isZero();
                });
        assertThat(processor.telemetry())
                .containsEntry("dns_nat_duplicates", 1L)
                .containsEntry("dns_duplicate_queries", 1L)
                .containsEntry("dns_matched_responses", 2L)
                .containsEntry("dns_pending_queries", 0L)
                .containsEntry("dns_nat_window_evictions", 0L);
    }

    @Test
    void everyNattedLookupCountsOnce() throws Exception {
        // when: 50 lookups, each with its own id and client port, each captured before and after NAT
        for (int lookup = 0; lookup < 50; lookup++) {
            long at = T0 + lookup * 10 * MILLI;
            query(CONTAINER, PORT + lookup, SERVER, 100 + lookup, "n.example", TYPE_A, at);
            query(HOST, PORT + lookup, SERVER, 100 + lookup, "n.example", TYPE_A, at + 1_000);
            answer(SERVER, HOST, PORT + lookup, 100 + lookup, "n.example", TYPE_A, at + MILLI);
            answer(SERVER, CONTAINER, PORT + lookup, 100 + lookup, "n.example", TYPE_A, at + MILLI + 1_000);
        }

        // then
        assertThat(drain()).containsOnlyKeys(key(CONTAINER, SERVER, "n.example", TYPE_A))
                .allSatisfy((key, stats) -> assertThat(stats.countsByRcode()).isEqualTo(Map.of(0, 50L)));
        assertThat(processor.telemetry()).containsEntry("dns_nat_duplicates", 50L);
    }

    @Test
    void twoClientsAskingTheSameQuestionOfTheSameServerWithTheirOwnIdsBothCount() throws Exception {
        // when
        query(CONTAINER, PORT, SERVER, 0x2001, "same.example", TYPE_A, T0);
        query(OTHER_CONTAINER, PORT, SERVER, 0x2002, "same.example", TYPE_A, T0 + 1_000);
        answer(SERVER, CONTAINER, PORT, 0x2001, "same.example", TYPE_A, T0 + MILLI);
        answer(SERVER, OTHER_CONTAINER, PORT, 0x2002, "same.example", TYPE_A, T0 + MILLI);

        // then
        assertThat(drain()).containsOnlyKeys(key(CONTAINER, SERVER, "same.example", TYPE_A),
                key(OTHER_CONTAINER, SERVER, "same.example", TYPE_A))
                .allSatisfy((key, stats) -> assertThat(stats.countsByRcode()).isEqualTo(Map.of(0, 1L)));
        assertThat(processor.telemetry()).containsEntry("dns_nat_duplicates", 0L);
    }

    @Test
    void theSameIdAndQuestionToAnotherServerCounts() throws Exception {
        // when
        query(CONTAINER, PORT, SERVER, 0x3003, "s.example", TYPE_A, T0);
        query(HOST, PORT, OTHER_SERVER, 0x3003, "s.example", TYPE_A, T0 + 1_000);
        answer(SERVER, CONTAINER, PORT, 0x3003, "s.example", TYPE_A, T0 + MILLI);
        answer(OTHER_SERVER, HOST, PORT, 0x3003, "s.example", TYPE_A, T0 + MILLI);

        // then
        assertThat(drain()).containsOnlyKeys(key(CONTAINER, SERVER, "s.example", TYPE_A),
                key(HOST, OTHER_SERVER, "s.example", TYPE_A));
        assertThat(processor.telemetry()).containsEntry("dns_nat_duplicates", 0L);
    }

    @Test
    void theSameIdWithAnotherQuestionTypeOrNameCounts() throws Exception {
        // when
        query(CONTAINER, PORT, SERVER, 0x4004, "t.example", TYPE_A, T0);
        query(HOST, PORT, SERVER, 0x4004, "t.example", TYPE_AAAA, T0 + 1_000);
        query(OTHER_CONTAINER, PORT, SERVER, 0x4004, "u.example", TYPE_A, T0 + 2_000);
        answer(SERVER, CONTAINER, PORT, 0x4004, "t.example", TYPE_A, T0 + MILLI);
        answer(SERVER, HOST, PORT, 0x4004, "t.example", TYPE_AAAA, T0 + MILLI);
        answer(SERVER, OTHER_CONTAINER, PORT, 0x4004, "u.example", TYPE_A, T0 + MILLI);

        // then
        assertThat(drain()).containsOnlyKeys(key(CONTAINER, SERVER, "t.example", TYPE_A),
                key(HOST, SERVER, "t.example", TYPE_AAAA), key(OTHER_CONTAINER, SERVER, "u.example", TYPE_A));
        assertThat(processor.telemetry()).containsEntry("dns_nat_duplicates", 0L);
    }

    @Test
    void anEqualQueryFromAnotherClientOnlyJustOutsideTheWindowCounts() throws Exception {
        // when: the second copy comes 1 ns after the window, the third at its very end
        query(CONTAINER, PORT, SERVER, 0x5005, "w.example", TYPE_A, T0);
        answer(SERVER, CONTAINER, PORT, 0x5005, "w.example", TYPE_A, T0 + MILLI);
        query(HOST, PORT, SERVER, 0x5005, "w.example", TYPE_A, T0 + WINDOW + 1);
        answer(SERVER, HOST, PORT, 0x5005, "w.example", TYPE_A, T0 + WINDOW + 1 + MILLI);
        query(OTHER_CONTAINER, PORT, SERVER, 0x5005, "w.example", TYPE_A, T0 + 2 * WINDOW + 1);
        answer(SERVER, OTHER_CONTAINER, PORT, 0x5005, "w.example", TYPE_A, T0 + 2 * WINDOW + 1 + MILLI);

        // then: the late copy starts a window of its own, which holds the third
        assertThat(drain()).containsOnlyKeys(key(CONTAINER, SERVER, "w.example", TYPE_A),
                key(HOST, SERVER, "w.example", TYPE_A))
                .allSatisfy((key, stats) -> assertThat(stats.countsByRcode()).isEqualTo(Map.of(0, 1L)));
        assertThat(processor.telemetry()).containsEntry("dns_nat_duplicates", 1L);
    }

    @Test
    void theSameClientAskingAgainWithTheSameIdAfterItsAnswerCountsTwice() throws Exception {
        // when
        query(CONTAINER, PORT, SERVER, 0x6006, "again.example", TYPE_A, T0);
        answer(SERVER, CONTAINER, PORT, 0x6006, "again.example", TYPE_A, T0 + MILLI);
        query(CONTAINER, PORT, SERVER, 0x6006, "again.example", TYPE_A, T0 + 2 * MILLI);
        answer(SERVER, CONTAINER, PORT, 0x6006, "again.example", TYPE_A, T0 + 3 * MILLI);

        // then
        assertThat(drain()).containsOnlyKeys(key(CONTAINER, SERVER, "again.example", TYPE_A))
                .allSatisfy((key, stats) -> assertThat(stats.countsByRcode()).isEqualTo(Map.of(0, 2L)));
        assertThat(processor.telemetry()).containsEntry("dns_nat_duplicates", 0L);
    }

    @Test
    void whenOnlyTheCopyIsAnsweredTheLookupIsOneTimeout() throws Exception {
        // given: the answer reached the uplink but never crossed the bridge back
        DnsTrafficProcessor timing = DnsTrafficProcessor.create(
                MonitorConfig.builder().dnsTimeout(Duration.ofSeconds(1)).build());
        query(timing, CONTAINER, PORT, SERVER, 0x7007, "lost.example", TYPE_A, T0);
        query(timing, HOST, PORT, SERVER, 0x7007, "lost.example", TYPE_A, T0 + 1_000);
        answer(timing, SERVER, HOST, PORT, 0x7007, "lost.example", TYPE_A, T0 + MILLI);

        // when
        timing.expire(T0 + 1_000 * MILLI);

        // then
        assertThat(timing.statsKeeper().drain()).singleElement().satisfies(stats -> {
            assertThat(stats.key()).isEqualTo(key(CONTAINER, SERVER, "lost.example", TYPE_A));
            assertThat(stats.timeouts()).isEqualTo(1);
            assertThat(stats.responses()).isZero();
        });
        assertThat(timing.telemetry()).containsEntry("dns_timeouts", 1L).containsEntry("dns_nat_duplicates", 1L);
    }

    private Map<DnsStatsKey, DnsStats> drain() {
        Map<DnsStatsKey, DnsStats> byKey = new LinkedHashMap<>();
        processor.statsKeeper().drain().forEach(stats -> byKey.merge(stats.key(), stats, DnsStats::plus));
        return byKey;
    }

    private void query(String client, int clientPort, String server, int id, String name, int type, long nanos)
            throws Exception {
        query(processor, client, clientPort, server, id, name, type, nanos);
    }

    private void answer(String server, String client, int clientPort, int id, String name, int type, long nanos)
            throws Exception {
        answer(processor, server, client, clientPort, id, name, type, nanos);
    }

    private void query(DnsTrafficProcessor target, String client, int clientPort, String server, int id,
            String name, int type, long nanos) throws Exception {
        byte[] packet = DnsPacketBuilder.query(id, name, type).build();
        flow.source(InetAddress.getByName(client), clientPort).destination(InetAddress.getByName(server), 53);
        assertThat(target.onUdpPayload(flow, packet, 0, packet.length, nanos)).isEqualTo(DnsParseStatus.OK);
    }

    private void answer(DnsTrafficProcessor target, String server, String client, int clientPort, int id,
            String name, int type, long nanos) throws Exception {
        byte[] packet = DnsPacketBuilder.response(id, 0, name, type).build();
        flow.source(InetAddress.getByName(server), 53).destination(InetAddress.getByName(client), clientPort);
        assertThat(target.onUdpPayload(flow, packet, 0, packet.length, nanos)).isEqualTo(DnsParseStatus.OK);
    }
}
