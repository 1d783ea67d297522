package io.cnm4j.dns.internal;

import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_A;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_AAAA;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsQueryMatcherTest {
    private static final long T0 = 5_000_000_000L;
    private static final String CLIENT = "10.0.0.5";
    private static final String SERVER = "10.0.0.53";

    private final List<Completion> completions = new ArrayList<>();
    private final DnsQueryListener recorder = query -> completions.add(Completion.of(query));
    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsMessage message = new DnsMessage();
    private final DnsPacketFlow flow = new DnsPacketFlow();

    @Test
    void responseCompletesItsQueryWithLatencyInMicros() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        DnsMatchOutcome queryOutcome = query(matcher, CLIENT, 40000, SERVER, 0x42, "Example.com", TYPE_A, T0);

        // when
        DnsMatchOutcome responseOutcome = respond(matcher, SERVER, CLIENT, 40000, 0x42, 0, "example.com", TYPE_A,
                T0 + 2_345_678);

        // then
        assertThat(queryOutcome).isEqualTo(DnsMatchOutcome.QUERY_PENDING);
        assertThat(responseOutcome).isEqualTo(DnsMatchOutcome.RESPONSE_MATCHED);
        assertThat(completions).containsExactly(new Completion(CLIENT, SERVER, 40000, DnsPacketFlow.UDP, 0x42,
                "example.com", TYPE_A, false, 0, 2345));
        assertThat(matcher.pendingQueries()).isZero();
        assertThat(matcher.matchedResponses()).isEqualTo(1);
    }

    @Test
    void failureRcodeIsReported() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        query(matcher, CLIENT, 40000, SERVER, 9, "missing.example", TYPE_A, T0);

        // when
        respond(matcher, SERVER, CLIENT, 40000, 9, 3, "missing.example", TYPE_A, T0 + 1_000_000);

        // then
        assertThat(completions).containsExactly(new Completion(CLIENT, SERVER, 40000, DnsPacketFlow.UDP, 9,
                "missing.example", TYPE_A, false, 3, 1000));
    }

    @Test
    void expireReportsQueriesOlderThanTheTimeout() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        query(matcher, CLIENT, 40000, SERVER, 1, "slow.example", TYPE_A, T0);
        query(matcher, CLIENT, 40001, SERVER, 2, "later.example", TYPE_A, T0 + 1_000_000_000);

        // when
        int beforeTimeout = matcher.expire(T0 + 14_999_999_999L);
        int atTimeout = matcher.expire(T0 + 15_000_000_000L);

        // then
        assertThat(beforeTimeout).isZero();
        assertThat(atTimeout).isEqualTo(1);
        assertThat(completions).containsExactly(new Completion(CLIENT, SERVER, 40000, DnsPacketFlow.UDP, 1,
                "slow.example", TYPE_A, true, CompletedDnsQuery.NO_RESPONSE, 15_000_000));
        assertThat(matcher.timeouts()).isEqualTo(1);
        assertThat(matcher.pendingQueries()).isEqualTo(1);
    }

    @Test
    void responseAfterExpiryIsUnsolicited() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).queryTimeout(Duration.ofSeconds(2)).build();
        query(matcher, CLIENT, 40000, SERVER, 1, "slow.example", TYPE_A, T0);
        matcher.expire(T0 + 2_000_000_000L);

        // when
        DnsMatchOutcome outcome = respond(matcher, SERVER, CLIENT, 40000, 1, 0, "slow.example", TYPE_A,
                T0 + 2_500_000_000L);

        // then
        assertThat(outcome).isEqualTo(DnsMatchOutcome.RESPONSE_UNSOLICITED);
        assertThat(completions).hasSize(1);
        assertThat(completions.getFirst().timeout()).isTrue();
        assertThat(matcher.unsolicitedResponses()).isEqualTo(1);
    }

    @Test
    void lateResponseBeforeExpireRunsCountsAsTimeout() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).queryTimeout(Duration.ofSeconds(2)).build();
        query(matcher, CLIENT, 40000, SERVER, 1, "slow.example", TYPE_A, T0);

        // when
        DnsMatchOutcome outcome = respond(matcher, SERVER, CLIENT, 40000, 1, 0, "slow.example", TYPE_A,
                T0 + 3_000_000_000L);

        // then
        assertThat(outcome).isEqualTo(DnsMatchOutcome.RESPONSE_AFTER_TIMEOUT);
        assertThat(completions).containsExactly(new Completion(CLIENT, SERVER, 40000, DnsPacketFlow.UDP, 1,
                "slow.example", TYPE_A, true, CompletedDnsQuery.NO_RESPONSE, 3_000_000));
        assertThat(matcher.timeouts()).isEqualTo(1);
        assertThat(matcher.matchedResponses()).isZero();
    }

    @Test
    void responseWithoutQueryIsDroppedAndCounted() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();

        // when
        DnsMatchOutcome outcome = respond(matcher, SERVER, CLIENT, 40000, 77, 0, "example.com", TYPE_A, T0);

        // then
        assertThat(outcome).isEqualTo(DnsMatchOutcome.RESPONSE_UNSOLICITED);
        assertThat(completions).isEmpty();
        assertThat(matcher.unsolicitedResponses()).isEqualTo(1);
    }

    @Test
    void responseFromAnotherServerPortIsUnsolicitedAndTheQueryKeepsWaiting() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        query(matcher, CLIENT, 40000, SERVER, 5, "port.example", TYPE_A, T0);

        // when: same addresses, client port and id, but not from the port the query went to
        byte[] packet = DnsPacketBuilder.response(5, 0, "port.example", TYPE_A).build();
        assertThat(parser.parse(packet, 0, packet.length, message)).isEqualTo(DnsParseStatus.OK);
        flow.source(InetAddress.getByName(SERVER), 5353).destination(InetAddress.getByName(CLIENT), 40000);
        DnsMatchOutcome forged = matcher.onMessage(flow, message, T0 + 1_000);
        DnsMatchOutcome genuine = respond(matcher, SERVER, CLIENT, 40000, 5, 0, "port.example", TYPE_A, T0 + 2_000);

        // then
        assertThat(forged).isEqualTo(DnsMatchOutcome.RESPONSE_UNSOLICITED);
        assertThat(genuine).isEqualTo(DnsMatchOutcome.RESPONSE_MATCHED);
        assertThat(completions).containsExactly(new Completion(CLIENT, SERVER, 40000, DnsPacketFlow.UDP, 5,
                "port.example", TYPE_A, false, 0, 2));
        assertThat(matcher.unsolicitedResponses()).isEqualTo(1);
    }

    @Test
    void responseWithAnotherQuestionIsMismatchedAndTheQueryKeepsWaiting() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        query(matcher, CLIENT, 40000, SERVER, 6, "asked.example", TYPE_A, T0);

        // when: right key, but another name, then the right name with another type, then the answer
        DnsMatchOutcome otherName = respond(matcher, SERVER, CLIENT, 40000, 6, 0, "bank.test", TYPE_A, T0 + 1_000);
        DnsMatchOutcome otherType = respond(matcher, SERVER, CLIENT, 40000, 6, 0, "asked.example", TYPE_AAAA,
                T0 + 2_000);
        DnsMatchOutcome genuine = respond(matcher, SERVER, CLIENT, 40000, 6, 0, "ASKED.example", TYPE_A, T0 + 3_000);

        // then
        assertThat(otherName).isEqualTo(DnsMatchOutcome.RESPONSE_MISMATCHED);
        assertThat(otherType).isEqualTo(DnsMatchOutcome.RESPONSE_MISMATCHED);
        assertThat(genuine).isEqualTo(DnsMatchOutcome.RESPONSE_MATCHED);
        assertThat(completions).containsExactly(new Completion(CLIENT, SERVER, 40000, DnsPacketFlow.UDP, 6,
                "asked.example", TYPE_A, false, 0, 3));
        assertThat(matcher.mismatchedResponses()).isEqualTo(2);
        assertThat(matcher.unsolicitedResponses()).isZero();
        assertThat(matcher.matchedResponses()).isEqualTo(1);
    }

    @Test
    void queriesBeyondThePendingLimitAreDroppedAndCounted() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).maxPendingQueries(2).build();
        query(matcher, CLIENT, 40000, SERVER, 1, "one.example", TYPE_A, T0);
        query(matcher, CLIENT, 40000, SERVER, 2, "two.example", TYPE_A, T0);

        // when
        DnsMatchOutcome third = query(matcher, CLIENT, 40000, SERVER, 3, "three.example", TYPE_A, T0);
        respond(matcher, SERVER, CLIENT, 40000, 1, 0, "one.example", TYPE_A, T0 + 1000);
        DnsMatchOutcome fourth = query(matcher, CLIENT, 40000, SERVER, 4, "four.example", TYPE_A, T0 + 2000);

        // then
        assertThat(third).isEqualTo(DnsMatchOutcome.QUERY_DROPPED_AT_CAPACITY);
        assertThat(fourth).isEqualTo(DnsMatchOutcome.QUERY_PENDING);
        assertThat(matcher.queriesDroppedAtCapacity()).isEqualTo(1);
        assertThat(matcher.pendingQueries()).isEqualTo(2);
    }

    @Test
    void sameIdFromTwoClientPortsIsKeptApart() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        query(matcher, CLIENT, 40000, SERVER, 7, "first.example", TYPE_A, T0);
        query(matcher, CLIENT, 40001, SERVER, 7, "second.example", TYPE_AAAA, T0 + 1_000);

        // when
        respond(matcher, SERVER, CLIENT, 40001, 7, 0, "second.example", TYPE_AAAA, T0 + 11_000);
        int pendingInBetween = matcher.pendingQueries();
        respond(matcher, SERVER, CLIENT, 40000, 7, 2, "first.example", TYPE_A, T0 + 20_000);

        // then
        assertThat(pendingInBetween).isEqualTo(1);
        assertThat(completions).containsExactly(
                new Completion(CLIENT, SERVER, 40001, DnsPacketFlow.UDP, 7, "second.example", TYPE_AAAA, false, 0, 10),
                new Completion(CLIENT, SERVER, 40000, DnsPacketFlow.UDP, 7, "first.example", TYPE_A, false, 2, 20));
    }

    @Test
    void sameKeyOverTcpAndUdpIsKeptApart() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        query(matcher, CLIENT, 40000, SERVER, 7, "udp.example", TYPE_A, T0);
        flow.ipProtocol(DnsPacketFlow.TCP);
        query(matcher, CLIENT, 40000, SERVER, 7, "tcp.example", TYPE_A, T0);

        // when
        respond(matcher, SERVER, CLIENT, 40000, 7, 0, "tcp.example", TYPE_A, T0 + 5_000);

        // then
        assertThat(completions).containsExactly(new Completion(CLIENT, SERVER, 40000, DnsPacketFlow.TCP, 7,
                "tcp.example", TYPE_A, false, 0, 5));
        assertThat(matcher.pendingQueries()).isEqualTo(1);
    }

    @Test
    void retransmittedQueryKeepsTheFirstTimestamp() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        query(matcher, CLIENT, 40000, SERVER, 5, "example.com", TYPE_A, T0);

        // when
        DnsMatchOutcome retransmission = query(matcher, CLIENT, 40000, SERVER, 5, "example.com", TYPE_A,
                T0 + 1_000_000_000L);
        respond(matcher, SERVER, CLIENT, 40000, 5, 0, "example.com", TYPE_A, T0 + 1_000_500_000L);

        // then
        assertThat(retransmission).isEqualTo(DnsMatchOutcome.QUERY_DUPLICATE);
        assertThat(matcher.duplicateQueries()).isEqualTo(1);
        assertThat(completions.getFirst().latencyMicros()).isEqualTo(1_000_500);
    }

    @Test
    void ipv6ClientAndServerAreReportedAsIpv6() throws Exception {
        // given
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(recorder).build();
        query(matcher, "2001:db8::5", 53000, "2001:db8::53", 300, "v6.example", TYPE_AAAA, T0);

        // when
        respond(matcher, "2001:db8::53", "2001:db8::5", 53000, 300, 0, "v6.example", TYPE_AAAA, T0 + 700_000);

        // then
        assertThat(completions).containsExactly(new Completion("2001:db8:0:0:0:0:0:5", "2001:db8:0:0:0:0:0:53",
                53000, DnsPacketFlow.UDP, 300, "v6.example", TYPE_AAAA, false, 0, 700));
    }

    @Test
    void domainsAreInternedAcrossQueries() throws Exception {
        // given
        DomainInterner interner = new DomainInterner();
        List<String> domains = new ArrayList<>();
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(query -> domains.add(query.domain()))
                .domainInterner(interner).build();

        // when
        query(matcher, CLIENT, 40000, SERVER, 1, "shared.example", TYPE_A, T0);
        respond(matcher, SERVER, CLIENT, 40000, 1, 0, "shared.example", TYPE_A, T0 + 1);
        query(matcher, CLIENT, 40000, SERVER, 2, "SHARED.example", TYPE_A, T0);
        respond(matcher, SERVER, CLIENT, 40000, 2, 0, "shared.example", TYPE_A, T0 + 1);

        // then
        assertThat(domains).hasSize(2);
        assertThat(domains.get(0)).isEqualTo("shared.example").isSameAs(domains.get(1));
    }

    private DnsMatchOutcome query(DnsQueryMatcher matcher, String client, int clientPort, String server, int id,
            String name, int type, long nanos) throws Exception {
        byte[] packet = DnsPacketBuilder.query(id, name, type).build();
        assertThat(parser.parse(packet, 0, packet.length, message)).isEqualTo(DnsParseStatus.OK);
        flow.source(InetAddress.getByName(client), clientPort).destination(InetAddress.getByName(server), 53);
        return matcher.onMessage(flow, message, nanos);
    }

    private DnsMatchOutcome respond(DnsQueryMatcher matcher, String server, String client, int clientPort, int id,
            int rcode, String name, int type, long nanos) throws Exception {
        byte[] packet = DnsPacketBuilder.response(id, rcode, name, type).build();
        assertThat(parser.parse(packet, 0, packet.length, message)).isEqualTo(DnsParseStatus.OK);
        flow.source(InetAddress.getByName(server), 53).destination(InetAddress.getByName(client), clientPort);
        return matcher.onMessage(flow, message, nanos);
    }

    private record Completion(String client, String server, int clientPort, int ipProtocol, int transactionId,
            String domain, int queryType, boolean timeout, int responseCode, long latencyMicros) {
        static Completion of(CompletedDnsQuery query) {
            return new Completion(query.clientAddress().getHostAddress(), query.serverAddress().getHostAddress(),
                    query.clientPort(), query.ipProtocol(), query.transactionId(), query.domain(), query.queryType(),
                    query.isTimeout(), query.responseCode(), query.latencyMicros());
        }
    }
}
