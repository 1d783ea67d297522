package io.cnm4j.dns.internal;

import static io.cnm4j.dns.internal.DnsPacketBuilder.CLASS_IN;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_A;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_AAAA;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_SOA;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_TXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DnsMessageParserTest {
    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsMessage message = new DnsMessage();
    private final DomainInterner interner = new DomainInterner();

    @Test
    void aAnswerYieldsHeaderQuestionAndAddressWithTtl() throws Exception {
        // given
        byte[] packet = DnsPacketBuilder.response(0x1234, 0, "Example.COM", TYPE_A)
                .answerA("example.com", 300, "93.184.216.34")
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.id()).isEqualTo(0x1234);
        assertThat(message.isResponse()).isTrue();
        assertThat(message.opcode()).isZero();
        assertThat(message.responseCode()).isZero();
        assertThat(message.isTruncated()).isFalse();
        assertThat(message.questionCount()).isEqualTo(1);
        assertThat(message.questionName(interner)).isEqualTo("example.com");
        assertThat(message.questionType()).isEqualTo(TYPE_A);
        assertThat(message.questionClass()).isEqualTo(CLASS_IN);
        assertThat(message.answerAddressCount()).isEqualTo(1);
        assertThat(message.answerAddressLength(0)).isEqualTo(4);
        assertThat(answerAddress(0)).isEqualTo("93.184.216.34");
        assertThat(message.answerTtlSeconds(0)).isEqualTo(300);
        assertThat(message.answerAddressesOmitted()).isFalse();
        assertThat(message.hasEdns()).isFalse();
    }

    @Test
    void queryHasNoAnswersAndItsFlags() {
        // given
        byte[] packet = DnsPacketBuilder.withHeader(7, DnsPacketBuilder.FLAG_RECURSION_DESIRED | DnsPacketBuilder.FLAG_TRUNCATED)
                .question("api.internal", TYPE_AAAA)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.isResponse()).isFalse();
        assertThat(message.isTruncated()).isTrue();
        assertThat(message.flags()).isEqualTo(0x0300);
        assertThat(message.questionName(interner)).isEqualTo("api.internal");
        assertThat(message.questionNameLength()).isEqualTo(12);
        assertThat(message.answerAddressCount()).isZero();
    }

    @Test
    void aaaaAnswerYieldsSixteenByteAddress() throws Exception {
        // given
        byte[] packet = DnsPacketBuilder.response(2, 0, "example.com", TYPE_AAAA)
                .answerAaaa("example.com", 3600, "2606:2800:220:1:248:1893:25c8:1946")
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.answerAddressCount()).isEqualTo(1);
        assertThat(message.answerAddressLength(0)).isEqualTo(16);
        assertThat(answerAddress(0)).isEqualTo("2606:2800:220:1:248:1893:25c8:1946");
        assertThat(message.answerTtlSeconds(0)).isEqualTo(3600);
    }

    @Test
    void cnameChainIsFollowedInAnyOrderAndOffChainAddressesAreIgnored() throws Exception {
        // given: the records arrive out of chain order, with an unrelated address among them
        byte[] packet = DnsPacketBuilder.response(3, 0, "www.example.com", TYPE_A)
                .answerA("e1.cdn.example", 20, "10.0.0.1")
                .answerCname("edge.example.net", 60, "E1.CDN.example")
                .answerA("other.example", 20, "10.9.9.9")
                .answerCname("www.example.com", 120, "edge.example.net")
                .answerA("e1.cdn.example", 30, "10.0.0.2")
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.answerAddressCount()).isEqualTo(2);
        assertThat(answerAddress(0)).isEqualTo("10.0.0.1");
        assertThat(message.answerTtlSeconds(0)).isEqualTo(20);
        assertThat(answerAddress(1)).isEqualTo("10.0.0.2");
        assertThat(message.answerTtlSeconds(1)).isEqualTo(30);
    }

    @Test
    void cnameCycleEndsWithoutRepeatingAddresses() throws Exception {
        // given
        byte[] packet = DnsPacketBuilder.response(4, 0, "a.example", TYPE_A)
                .answerCname("a.example", 60, "b.example")
                .answerCname("b.example", 60, "a.example")
                .answerA("a.example", 60, "10.0.0.7")
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.answerAddressCount()).isEqualTo(1);
        assertThat(answerAddress(0)).isEqualTo("10.0.0.7");
    }

    @Test
    void nxdomainCarriesRcodeAndSkipsAuthoritySoa() {
        // given
        byte[] soa = DnsPacketBuilder.withHeader(0, 0)
                .name("ns1.example.com").name("hostmaster.example.com").u32(2024010101).u32(7200).u32(3600)
                .u32(1209600).u32(300).bodyBytes();
        byte[] packet = DnsPacketBuilder.response(5, 3, "missing.example.com", TYPE_A)
                .authority("example.com", TYPE_SOA, 300, soa)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.responseCode()).isEqualTo(3);
        assertThat(message.questionName(interner)).isEqualTo("missing.example.com");
        assertThat(message.answerAddressCount()).isZero();
    }

    @Test
    void headerShorterThan12BytesIsTruncated() {
        // given
        byte[] packet = Arrays.copyOf(DnsPacketBuilder.query(17, "example.com", TYPE_A).build(), 11);

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.HEADER_TRUNCATED);
        assertThat(parse(new byte[0])).isEqualTo(DnsParseStatus.HEADER_TRUNCATED);
    }

    @Test
    void questionWithoutItsTypeAndClassIsTruncated() {
        // given
        byte[] full = DnsPacketBuilder.query(18, "example.com", TYPE_A).build();
        byte[] packet = Arrays.copyOf(full, full.length - 2);

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.QUESTION_TRUNCATED);
    }

    @Test
    void answerCountBeyondWhatThePayloadCouldHoldIsRejected() {
        // given
        byte[] packet = DnsPacketBuilder.response(20, 0, "example.com", TYPE_A)
                .answerA("example.com", 60, "10.0.0.1")
                .counts(1, 50, 0, 0)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.COUNTS_EXCEED_PAYLOAD);
    }

    @Test
    void answerCountOneMoreThanTheRecordsPresentIsRejected() {
        // given: 83 bytes could hold three minimal records, but only two are there
        byte[] packet = DnsPacketBuilder.response(21, 0, "example.com", TYPE_A)
                .answerA("example.com", 60, "10.0.0.1")
                .answerA("example.com", 60, "10.0.0.2")
                .counts(1, 3, 0, 0)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(packet).hasSize(83);
        assertThat(status).isEqualTo(DnsParseStatus.NAME_TRUNCATED);
    }

    @Test
    void rdlengthBeyondTheEndIsRejected() {
        // given
        DnsPacketBuilder builder = DnsPacketBuilder.response(22, 0, "example.com", TYPE_A).counts(1, 1, 0, 0);
        builder.pointer(12).u16(TYPE_A).u16(CLASS_IN).u32(60).u16(200).u32(0x0A000001);

        // when
        DnsParseStatus status = parse(builder.build());

        // then
        assertThat(status).isEqualTo(DnsParseStatus.RDATA_BEYOND_END);
    }

    @Test
    void recordWithoutItsFixedFieldsIsTruncated() {
        // given
        DnsPacketBuilder builder = DnsPacketBuilder.response(23, 0, "example.com", TYPE_A).counts(1, 1, 0, 0);
        builder.pointer(12).u16(TYPE_A).u16(CLASS_IN).u32(60);

        // when
        DnsParseStatus status = parse(builder.build());

        // then
        assertThat(status).isEqualTo(DnsParseStatus.RECORD_TRUNCATED);
    }

    @Test
    void aRecordWhoseRdataIsNotFourBytesIsMalformed() {
        // given
        byte[] packet = DnsPacketBuilder.response(24, 0, "example.com", TYPE_A)
                .answer("example.com", TYPE_A, 60, new byte[] {10, 0, 0, 1, 0})
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.RDATA_MALFORMED);
    }

    @Test
    void otherRecordTypesInAnswersAreSkippedByRdlength() throws Exception {
        // given
        byte[] packet = DnsPacketBuilder.response(25, 0, "example.com", TYPE_A)
                .answer("example.com", TYPE_TXT, 60, new byte[] {3, 'a', 'b', 'c', (byte) 0xC0, 0x00})
                .answerA("example.com", 60, "10.0.0.3")
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.answerAddressCount()).isEqualTo(1);
        assertThat(answerAddress(0)).isEqualTo("10.0.0.3");
    }

    @Test
    void ednsOptInAdditionalSectionIsRecognisedAndExtendsTheRcode() throws Exception {
        // given: header rcode 0 plus extended bits 1 = BADVERS (16)
        byte[] packet = DnsPacketBuilder.response(26, 0, "example.com", TYPE_A)
                .answerA("example.com", 60, "10.0.0.4")
                .additionalOpt(1232, 1)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.hasEdns()).isTrue();
        assertThat(message.ednsUdpPayloadSize()).isEqualTo(1232);
        assertThat(message.responseCode()).isEqualTo(16);
        assertThat(answerAddress(0)).isEqualTo("10.0.0.4");
    }

    @Test
    void addressesBeyondTheLimitAreOmittedAndFlagged() {
        // given
        DnsPacketBuilder builder = DnsPacketBuilder.response(27, 0, "big.example", TYPE_A);
        for (int i = 0; i < DnsMessage.MAX_ANSWER_ADDRESSES + 6; i++) {
            builder.answer("big.example", TYPE_A, 60, new byte[] {10, 0, 0, (byte) i});
        }

        // when
        DnsParseStatus status = parse(builder.build());

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.answerAddressCount()).isEqualTo(DnsMessage.MAX_ANSWER_ADDRESSES);
        assertThat(message.answerAddressesOmitted()).isTrue();
    }

    @Test
    void ttlWithTopBitSetReadsAsZero() {
        // given
        byte[] packet = DnsPacketBuilder.response(28, 0, "example.com", TYPE_A)
                .answer("example.com", TYPE_A, 0x80000000, new byte[] {10, 0, 0, 1})
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.answerTtlSeconds(0)).isZero();
    }

    @Test
    void reusedMessageForgetsThePreviousPacket() {
        // given
        parse(DnsPacketBuilder.response(30, 0, "example.com", TYPE_A).answerA("example.com", 60, "10.0.0.1").build());

        // when
        DnsParseStatus status = parse(DnsPacketBuilder.query(31, "other.example", TYPE_AAAA).build());

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.id()).isEqualTo(31);
        assertThat(message.questionName(interner)).isEqualTo("other.example");
        assertThat(message.answerAddressCount()).isZero();
    }

    private DnsParseStatus parse(byte[] packet) {
        return parser.parse(packet, 0, packet.length, message);
    }

    private String answerAddress(int index) throws UnknownHostException {
        byte[] bytes = new byte[16];
        int length = message.copyAnswerAddress(index, bytes, 0);
        return InetAddress.getByAddress(Arrays.copyOf(bytes, length)).getHostAddress();
    }
}
