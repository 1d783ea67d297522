package io.cnm4j.dns.internal;

import static io.cnm4j.dns.internal.DnsPacketBuilder.CLASS_IN;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_A;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_AAAA;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_CNAME;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_SOA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds a million mutated and random packets through the parser, the TCP reassembler and the
 * matcher: malformed input must only ever produce a status, never an exception or a hang.
 */
class DnsParserRobustnessTest {
    private static final int PACKETS = 1_000_000;
    private static final int MAX_RANDOM_LENGTH = 600;

    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsMessage message = new DnsMessage();
    private final DnsPacketFlow flow = new DnsPacketFlow();
    private final DomainInterner interner = new DomainInterner(1024);
    private final Map<DnsParseStatus, Long> statusCounts = new EnumMap<>(DnsParseStatus.class);
    private long completions;

    @Test
    void millionMutatedAndRandomPacketsOnlyEverYieldAStatus() {
        // given
        List<byte[]> seeds = validPackets();
        SplittableRandom random = new SplittableRandom(0x5EED_D115L);
        DnsQueryMatcher matcher = DnsQueryMatcher.builder(query -> completions++).maxPendingQueries(512).build();
        DnsTcpReassembler reassembler = new DnsTcpReassembler(512);
        DnsTcpReassembler.MessageHandler tcpHandler = (buffer, offset, length) ->
                parser.parse(buffer, offset, length, message) == DnsParseStatus.OK;
        byte[] packet = new byte[MAX_RANDOM_LENGTH + 64];

        // when
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < PACKETS; i++) {
                int length = nextPacket(random, seeds, packet);
                int offset = random.nextInt(8);
                System.arraycopy(packet, 0, packet, offset, length);
                DnsParseStatus status = parser.parse(packet, offset, length, message);
                statusCounts.merge(status, 1L, Long::sum);
                if (status == DnsParseStatus.OK) {
                    checkInvariants();
                    flow.source(packet, offset, random.nextBoolean() ? 4 : 16, random.nextInt(4))
                            .destination(packet, offset + 2, 4, random.nextInt(4));
                    matcher.onMessage(flow, message, i * 1_000_000L);
                }
                if ((i & 0xFFF) == 0) {
                    matcher.expire(i * 1_000_000L);
                }
                int chunk = random.nextInt(length + 1);
                reassembler.accept(packet, offset, chunk, tcpHandler);
                reassembler.accept(packet, offset + chunk, length - chunk, tcpHandler);
            }
        });

        // then
        assertThat(statusCounts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(PACKETS);
        assertThat(statusCounts.get(DnsParseStatus.OK)).isGreaterThan(PACKETS / 20);
        assertThat(statusCounts.keySet()).containsAll(List.of(DnsParseStatus.HEADER_TRUNCATED,
                DnsParseStatus.COUNTS_EXCEED_PAYLOAD, DnsParseStatus.QUESTION_TRUNCATED,
                DnsParseStatus.RECORD_TRUNCATED, DnsParseStatus.RDATA_BEYOND_END, DnsParseStatus.RDATA_MALFORMED,
                DnsParseStatus.NAME_TRUNCATED, DnsParseStatus.LABEL_TOO_LONG,
                DnsParseStatus.INVALID_POINTER_TARGET, DnsParseStatus.POINTER_LOOP));
        assertThat(completions).isPositive();
        assertThat(reassembler.resets()).isPositive();
    }

    private void checkInvariants() {
        assertThat(message.questionNameLength()).isBetween(0, 253);
        assertThat(message.answerAddressCount()).isBetween(0, DnsMessage.MAX_ANSWER_ADDRESSES);
        for (int a = 0; a < message.answerAddressCount(); a++) {
            assertThat(message.answerAddressLength(a)).isIn(4, 16);
            assertThat(message.answerTtlSeconds(a)).isNotNegative();
        }
    }

    /** Writes the next test packet into {@code out} and returns its length. */
    private static int nextPacket(SplittableRandom random, List<byte[]> seeds, byte[] out) {
        byte[] seed = seeds.get(random.nextInt(seeds.size()));
        int length = seed.length;
        System.arraycopy(seed, 0, out, 0, length);
        switch (random.nextInt(6)) {
            case 0 -> flipBits(random, out, length, 1 + random.nextInt(8));
            case 1 -> length = random.nextInt(length + 1);
            case 2 -> {
                int start = random.nextInt(length);
                int end = Math.min(length, start + 1 + random.nextInt(16));
                for (int i = start; i < end; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
            }
            case 3 -> {
                length = random.nextInt(MAX_RANDOM_LENGTH);
                for (int i = 0; i < length; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
            }
            case 4 -> {
                flipBits(random, out, length, 1 + random.nextInt(3));
                length = random.nextInt(length + 1);
            }
            default -> {
                // Make the header counts lie.
                int countOffset = 4 + 2 * random.nextInt(4);
                out[countOffset] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0);
                out[countOffset + 1] = (byte) random.nextInt(8);
            }
        }
        return length;
    }

    private static void flipBits(SplittableRandom random, byte[] packet, int length, int flips) {
        for (int f = 0; f < flips; f++) {
            packet[random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
        }
    }

    private static List<byte[]> validPackets() {
        byte[] soa = DnsPacketBuilder.withHeader(0, 0).name("ns1.example.com").name("hostmaster.example.com")
                .u32(1).u32(7200).u32(3600).u32(1209600).u32(300).bodyBytes();
        DnsPacketBuilder compressed = DnsPacketBuilder.response(6, 0, "www.example.com", TYPE_A).counts(1, 2, 0, 1);
        compressed.pointer(12).u16(TYPE_CNAME).u16(CLASS_IN).u32(60).u16(6);
        int target = compressed.nextOffset();
        compressed.label("api").pointer(16)
                .pointer(target).u16(TYPE_A).u16(CLASS_IN).u32(90).u16(4).u32(0x0A010101)
                .rootLabel().u16(41).u16(1232).u32(0).u16(0);
        return List.of(
                DnsPacketBuilder.query(1, "example.com", TYPE_A).build(),
                DnsPacketBuilder.query(2, "a.b.c.d.example.org", TYPE_AAAA).additionalOpt(4096, 0).build(),
                DnsPacketBuilder.response(3, 0, "example.com", TYPE_A).answerA("example.com", 300, "93.184.216.34")
                        .answerA("example.com", 300, "93.184.216.35").build(),
                DnsPacketBuilder.response(4, 0, "example.com", TYPE_AAAA)
                        .answerAaaa("example.com", 60, "2606:2800:220:1:248:1893:25c8:1946").additionalOpt(1232, 0)
                        .build(),
                DnsPacketBuilder.response(5, 0, "www.example.com", TYPE_A)
                        .answerCname("www.example.com", 60, "edge.example.net")
                        .answerCname("edge.example.net", 60, "e1.cdn.example")
                        .answerA("e1.cdn.example", 20, "10.0.0.1").build(),
                DnsPacketBuilder.response(7, 3, "missing.example.com", TYPE_A)
                        .authority("example.com", TYPE_SOA, 300, soa).build(),
                compressed.build());
    }
}
