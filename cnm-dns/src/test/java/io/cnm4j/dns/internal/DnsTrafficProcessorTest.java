package io.cnm4j.dns.internal;

import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_A;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_AAAA;
import static io.cnm4j.dns.internal.DnsTrafficProcessor.TCP_FIN;
import static io.cnm4j.dns.internal.DnsTrafficProcessor.TCP_RST;
import static io.cnm4j.dns.internal.DnsTrafficProcessor.TCP_SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.MonitorConfig;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsTrafficProcessorTest {
    private static final long T0 = 7_000_000_000L;
    private static final long MILLI = 1_000_000L;
    private static final String CLIENT = "10.0.0.5";
    private static final String SERVER = "10.0.0.53";

    private final DnsPacketFlow flow = new DnsPacketFlow();

    @Test
    void udpQueryAndAnswerBecomeStatisticsAndReverseEntriesForTheQueriedName() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] query = DnsPacketBuilder.query(0x1234, "Www.Example.com", TYPE_A).build();
        byte[] answer = DnsPacketBuilder.response(0x1234, 0, "www.example.com", TYPE_A)
                .answerCname("www.example.com", 300, "edge.example.net")
                .answerA("edge.example.net", 30, "192.0.2.80")
                .build();

        // when
        DnsParseStatus queryStatus = processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), query, 0, query.length, T0);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40000), answer, 0, answer.length, T0 + 1_500_000);

        // then
        assertThat(queryStatus).isEqualTo(DnsParseStatus.OK);
        assertThat(processor.statsKeeper().drain()).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(DnsStatsKeeperTest.key(CLIENT, SERVER, "www.example.com", TYPE_A));
            assertThat(s.countsByRcode()).isEqualTo(Map.of(0, 1L));
            assertThat(s.successLatencySumMicros()).isEqualTo(1_500);
            assertThat(s.timeouts()).isZero();
        });
        assertThat(processor.reverseDnsCache().namesFor(ip("192.0.2.80"))).containsExactly("www.example.com");
        assertThat(processor.telemetry())
                .containsEntry("dns_messages_parsed", 2L)
                .containsEntry("dns_matched_responses", 1L)
                .containsEntry("dns_answers_cached", 1L)
                .containsEntry("dns_reverse_cache_size", 1L)
                .containsEntry("dns_pending_queries", 0L)
                .containsEntry("dns_parse_errors", 0L);
    }

    @Test
    void ipv6QueryWithAaaaAnswerIsKeyedAndCached() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] query = DnsPacketBuilder.query(7, "v6.example", TYPE_AAAA).build();
        byte[] answer = DnsPacketBuilder.response(7, 0, "v6.example", TYPE_AAAA)
                .answerAaaa("v6.example", 600, "2001:db8::60").build();

        // when
        processor.onUdpPayload(udp("fd00::5", 50000, "fd00::53", 53), query, 0, query.length, T0);
        processor.onUdpPayload(udp("fd00::53", 53, "fd00::5", 50000), answer, 0, answer.length, T0 + 2 * MILLI);

        // then
        assertThat(processor.statsKeeper().drain()).singleElement().satisfies(s ->
                assertThat(s.key()).isEqualTo(DnsStatsKeeperTest.key("fd00::5", "fd00::53", "v6.example", TYPE_AAAA)));
        assertThat(processor.reverseDnsCache().namesFor(ip("2001:db8::60"))).containsExactly("v6.example");
    }

    @Test
    void forgedAnswerNobodyAskedForNamesNoAddressAndIsCounted() throws Exception {
        // given: a genuine lookup of the victim's name
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] query = DnsPacketBuilder.query(0x10, "real.example", TYPE_A).build();
        byte[] answer = DnsPacketBuilder.response(0x10, 0, "real.example", TYPE_A)
                .answerA("real.example", 300, "10.9.9.9").build();
        processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), query, 0, query.length, T0);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40000), answer, 0, answer.length, T0 + MILLI);
        byte[] forged = DnsPacketBuilder.response(0x4242, 0, "bank.test", TYPE_A)
                .answerA("bank.test", 86400, "10.9.9.9").answerA("bank.test", 86400, "10.9.9.10").build();

        // when: three forged responses from port 53, for a query never sent
        for (int i = 0; i < 3; i++) {
            processor.onUdpPayload(udp("10.66.0.1", 53, CLIENT, 40001 + i), forged, 0, forged.length,
                    T0 + (2 + i) * MILLI);
        }

        // then
        assertThat(processor.reverseDnsCache().namesFor(ip("10.9.9.9"))).containsExactly("real.example");
        assertThat(processor.reverseDnsCache().namesFor(ip("10.9.9.10"))).isEmpty();
        assertThat(processor.telemetry())
                .containsEntry("dns_unsolicited_responses", 3L)
                .containsEntry("dns_mismatched_responses", 0L)
                .containsEntry("dns_answers_cached", 1L)
                .containsEntry("dns_matched_responses", 1L);
    }

    @Test
    void answerToAnotherQuestionOnAPendingKeyNamesNoAddressAndTheRealAnswerStillDoes() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] query = DnsPacketBuilder.query(0x20, "shop.example", TYPE_A).build();
        byte[] forged = DnsPacketBuilder.response(0x20, 0, "bank.test", TYPE_A)
                .answerA("bank.test", 300, "10.9.9.9").build();
        byte[] answer = DnsPacketBuilder.response(0x20, 0, "shop.example", TYPE_A)
                .answerA("shop.example", 300, "192.0.2.20").build();

        // when
        processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), query, 0, query.length, T0);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40000), forged, 0, forged.length, T0 + MILLI);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40000), answer, 0, answer.length, T0 + 2 * MILLI);

        // then
        assertThat(processor.reverseDnsCache().namesFor(ip("10.9.9.9"))).isEmpty();
        assertThat(processor.reverseDnsCache().namesFor(ip("192.0.2.20"))).containsExactly("shop.example");
        assertThat(processor.telemetry())
                .containsEntry("dns_mismatched_responses", 1L)
                .containsEntry("dns_unsolicited_responses", 0L)
                .containsEntry("dns_matched_responses", 1L)
                .containsEntry("dns_answers_cached", 1L);
    }

    @Test
    void failedAnswersAreCountedButNeverCached() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] query = DnsPacketBuilder.query(9, "missing.example", TYPE_A).build();
        byte[] nxdomain = DnsPacketBuilder.response(9, 3, "missing.example", TYPE_A)
                .answerA("missing.example", 300, "192.0.2.9").build();

        // when
        processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), query, 0, query.length, T0);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40000), nxdomain, 0, nxdomain.length, T0 + 4 * MILLI);

        // then
        assertThat(processor.statsKeeper().drain()).singleElement().satisfies(s -> {
            assertThat(s.countsByRcode()).isEqualTo(Map.of(3, 1L));
            assertThat(s.failureLatencySumMicros()).isEqualTo(4_000);
        });
        assertThat(processor.reverseDnsCache().size()).isZero();
    }

    @Test
    void parseErrorsAreCountedByStatus() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] tooShort = new byte[5];
        byte[] lyingCounts = DnsPacketBuilder.withHeader(1, 0).counts(40, 0, 0, 0).build();

        // when
        DnsParseStatus first = processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), tooShort, 0, 5, T0);
        processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), tooShort, 0, 5, T0);
        processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), lyingCounts, 0, lyingCounts.length, T0);

        // then
        assertThat(first).isEqualTo(DnsParseStatus.HEADER_TRUNCATED);
        assertThat(processor.telemetry())
                .containsEntry("dns_parse_errors", 3L)
                .containsEntry("dns_parse_errors_header_truncated", 2L)
                .containsEntry("dns_parse_errors_counts_exceed_payload", 1L)
                .containsEntry("dns_parse_errors_pointer_loop", 0L)
                .containsEntry("dns_messages_parsed", 0L);
    }

    @Test
    void unansweredQueryBecomesOneTimeoutAtTheConfiguredTimeout() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(
                MonitorConfig.builder().dnsTimeout(Duration.ofSeconds(1)).build());
        byte[] query = DnsPacketBuilder.query(5, "slow.example", TYPE_A).build();
        processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), query, 0, query.length, T0);

        // when
        processor.expire(T0 + 999 * MILLI);
        Map<String, Long> before = processor.telemetry();
        processor.expire(T0 + 1_000 * MILLI);

        // then
        assertThat(before).containsEntry("dns_timeouts", 0L).containsEntry("dns_pending_queries", 1L);
        assertThat(processor.telemetry()).containsEntry("dns_timeouts", 1L).containsEntry("dns_pending_queries", 0L);
        assertThat(processor.statsKeeper().drain()).singleElement().satisfies(s -> {
            assertThat(s.timeouts()).isEqualTo(1);
            assertThat(s.responses()).isZero();
        });
    }

    @Test
    void lossesAtEveryLimitAreCounted() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(
                MonitorConfig.builder().maxPendingDnsQueries(1).maxDnsStats(1).build());
        byte[] first = DnsPacketBuilder.query(1, "one.example", TYPE_A).build();
        byte[] second = DnsPacketBuilder.query(2, "two.example", TYPE_A).build();
        byte[] firstAnswer = DnsPacketBuilder.response(1, 0, "one.example", TYPE_A).build();
        byte[] secondAnswer = DnsPacketBuilder.response(2, 0, "two.example", TYPE_A).build();
        byte[] stray = DnsPacketBuilder.response(99, 0, "stray.example", TYPE_A).build();

        // when: the second query finds the pending table full; after the first completes it fits,
        // but its statistics find the interval full
        processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), first, 0, first.length, T0);
        processor.onUdpPayload(udp(CLIENT, 40001, SERVER, 53), second, 0, second.length, T0);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40000), firstAnswer, 0, firstAnswer.length, T0 + MILLI);
        processor.onUdpPayload(udp(CLIENT, 40001, SERVER, 53), second, 0, second.length, T0 + MILLI);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40001), secondAnswer, 0, secondAnswer.length, T0 + 2 * MILLI);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40002), stray, 0, stray.length, T0 + 2 * MILLI);

        // then
        assertThat(processor.telemetry())
                .containsEntry("dns_pending_dropped", 1L)
                .containsEntry("dns_stats_dropped", 1L)
                .containsEntry("dns_unsolicited_responses", 1L)
                .containsEntry("dns_matched_responses", 2L);
        assertThat(processor.statsKeeper().drain()).extracting(s -> s.key().domain()).containsExactly("one.example");
    }

    @Test
    void queryTypesNotSelectedAreIgnored() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.builder().dnsQueryTypes("A").build());
        byte[] query = DnsPacketBuilder.query(3, "v6.example", TYPE_AAAA).build();
        byte[] answer = DnsPacketBuilder.response(3, 0, "v6.example", TYPE_AAAA).build();

        // when
        processor.onUdpPayload(udp(CLIENT, 40000, SERVER, 53), query, 0, query.length, T0);
        processor.onUdpPayload(udp(SERVER, 53, CLIENT, 40000), answer, 0, answer.length, T0 + MILLI);

        // then
        assertThat(processor.statsKeeper().drain()).isEmpty();
        assertThat(processor.telemetry()).containsEntry("dns_matched_responses", 1L).containsEntry("dns_stats_dropped", 0L);
    }

    @Test
    void tcpMessagesSplitAcrossSegmentsAreReassembledAndMatched() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] query = framed(DnsPacketBuilder.query(0x77, "tcp.example", TYPE_A).build());
        byte[] answer = framed(DnsPacketBuilder.response(0x77, 0, "tcp.example", TYPE_A)
                .answerA("tcp.example", 60, "192.0.2.77").build());
        int clientIsn = 1000;
        int serverIsn = 0xFFFF_FFF0;

        // when: the handshake, the query in two segments (the split falls in the length prefix),
        // the answer wrapping the sequence space, then both FINs
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), clientIsn, TCP_SYN, new byte[0], 0, 0, T0);
        processor.onTcpSegment(tcp(SERVER, 53, CLIENT, 41000), serverIsn, TCP_SYN, new byte[0], 0, 0, T0);
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), clientIsn + 1, 0, query, 0, 1, T0 + MILLI);
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), clientIsn + 2, 0, query, 1, query.length - 1,
                T0 + MILLI);
        processor.onTcpSegment(tcp(SERVER, 53, CLIENT, 41000), serverIsn + 1, TCP_FIN, answer, 0, answer.length,
                T0 + 3 * MILLI);
        int streamsBeforeClientFin = processor.telemetry().get("dns_tcp_streams").intValue();
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), clientIsn + 1 + query.length, TCP_FIN, new byte[0],
                0, 0, T0 + 3 * MILLI);

        // then
        DnsStats stats = processor.statsKeeper().drain().getFirst();
        assertThat(stats.key()).isEqualTo(DnsStatsKeeperTest.key(CLIENT, SERVER, "tcp.example", TYPE_A));
        assertThat(stats.countsByRcode()).isEqualTo(Map.of(0, 1L));
        assertThat(stats.successLatencySumMicros()).isEqualTo(2_000);
        assertThat(processor.reverseDnsCache().namesFor(ip("192.0.2.77"))).containsExactly("tcp.example");
        assertThat(streamsBeforeClientFin).isEqualTo(1);
        assertThat(processor.telemetry())
                .containsEntry("dns_tcp_streams", 0L)
                .containsEntry("dns_tcp_gaps", 0L)
                .containsEntry("dns_tcp_stream_resets", 0L);
    }

    @Test
    void aRetransmittedTcpSegmentIsFedOnlyOnce() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] twoQueries = concat(framed(DnsPacketBuilder.query(1, "one.example", TYPE_A).build()),
                framed(DnsPacketBuilder.query(2, "two.example", TYPE_A).build()));
        int half = twoQueries.length / 2;

        // when: the first half, the first half again, then the whole (overlapping) buffer
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), 500, 0, twoQueries, 0, half, T0);
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), 500, 0, twoQueries, 0, half, T0);
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), 500, 0, twoQueries, 0, twoQueries.length, T0);

        // then
        assertThat(processor.telemetry())
                .containsEntry("dns_tcp_retransmissions", 1L)
                .containsEntry("dns_messages_parsed", 2L)
                .containsEntry("dns_duplicate_queries", 0L)
                .containsEntry("dns_pending_queries", 2L);
    }

    @Test
    void aGapInTheCaptureRestartsReassemblyAtTheNextMessage() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] first = framed(DnsPacketBuilder.query(1, "one.example", TYPE_A).build());
        byte[] second = framed(DnsPacketBuilder.query(2, "two.example", TYPE_A).build());

        // when: the tail of the first message is never captured
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), 100, 0, first, 0, 5, T0);
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), 100 + first.length, 0, second, 0, second.length, T0);

        // then
        assertThat(processor.telemetry())
                .containsEntry("dns_tcp_gaps", 1L)
                .containsEntry("dns_messages_parsed", 1L)
                .containsEntry("dns_pending_queries", 1L);
    }

    @Test
    void tcpStreamsAreBoundedAndTheLeastRecentlyUsedIsEvicted() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.builder(MonitorConfig.defaults()).maxTcpStreams(2).build();
        byte[] partial = framed(DnsPacketBuilder.query(1, "one.example", TYPE_A).build());

        // when
        for (int port = 41000; port < 41003; port++) {
            processor.onTcpSegment(tcp(CLIENT, port, SERVER, 53), 1, 0, partial, 0, 4, T0);
        }

        // then
        assertThat(processor.telemetry())
                .containsEntry("dns_tcp_streams", 2L)
                .containsEntry("dns_tcp_streams_evicted", 1L);
    }

    @Test
    void resetForgetsBothDirectionsAndIdleStreamsExpire() throws Exception {
        // given
        DnsTrafficProcessor processor = DnsTrafficProcessor.create(MonitorConfig.defaults());
        byte[] partial = framed(DnsPacketBuilder.query(1, "one.example", TYPE_A).build());
        processor.onTcpSegment(tcp(CLIENT, 41000, SERVER, 53), 1, 0, partial, 0, 4, T0);
        processor.onTcpSegment(tcp(SERVER, 53, CLIENT, 41000), 1, 0, partial, 0, 4, T0);
        processor.onTcpSegment(tcp(CLIENT, 42000, SERVER, 53), 1, 0, partial, 0, 4, T0);

        // when
        processor.onTcpSegment(tcp(SERVER, 53, CLIENT, 41000), 5, TCP_RST, new byte[0], 0, 0, T0);
        long afterReset = processor.telemetry().get("dns_tcp_streams");
        processor.expire(T0 + DnsTrafficProcessor.TCP_STREAM_IDLE_TIMEOUT.toNanos() + 1);

        // then
        assertThat(afterReset).isEqualTo(1);
        assertThat(processor.telemetry()).containsEntry("dns_tcp_streams", 0L);
    }

    private DnsPacketFlow udp(String source, int sourcePort, String destination, int destinationPort)
            throws Exception {
        return flow.ipProtocol(DnsPacketFlow.UDP).source(ip(source), sourcePort).destination(ip(destination),
                destinationPort);
    }

    private DnsPacketFlow tcp(String source, int sourcePort, String destination, int destinationPort)
            throws Exception {
        return flow.ipProtocol(DnsPacketFlow.TCP).source(ip(source), sourcePort).destination(ip(destination),
                destinationPort);
    }

    private static byte[] framed(byte[] message) {
        return ByteBuffer.allocate(2 + message.length).putShort((short) message.length).put(message).array();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
