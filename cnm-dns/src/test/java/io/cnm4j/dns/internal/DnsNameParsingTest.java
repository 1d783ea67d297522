package io.cnm4j.dns.internal;

import static io.cnm4j.dns.internal.DnsPacketBuilder.CLASS_IN;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_A;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_CNAME;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_TXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** How {@link DnsMessageParser} reads domain names: compression, and the limits that keep hostile names cheap. */
class DnsNameParsingTest {
    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsMessage message = new DnsMessage();
    private final DomainInterner interner = new DomainInterner();

    @Test
    void compressionPointersAreFollowedInOwnersAndCnameTargets() throws Exception {
        // given: "www.example.com" at offset 12, so "example.com" starts at 16
        DnsPacketBuilder builder = DnsPacketBuilder.response(6, 0, "www.example.com", TYPE_A).counts(1, 2, 0, 0);
        builder.pointer(12).u16(TYPE_CNAME).u16(CLASS_IN).u32(60).u16(6);
        int cnameTarget = builder.nextOffset();
        builder.label("api").pointer(16);
        builder.pointer(cnameTarget).u16(TYPE_A).u16(CLASS_IN).u32(90).u16(4).bytes(DnsPacketBuilder.address("10.1.1.1"));

        // when
        DnsParseStatus status = parse(builder.build());

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.answerAddressCount()).isEqualTo(1);
        assertThat(answerAddress(0)).isEqualTo("10.1.1.1");
        assertThat(message.answerTtlSeconds(0)).isEqualTo(90);
    }

    @Test
    void pointerBackIntoTheSameNameIsALoop() {
        // given: "a" then a pointer to the name's own start
        byte[] packet = DnsPacketBuilder.withHeader(8, 0).counts(1, 0, 0, 0)
                .label("a").pointer(12).u16(TYPE_A).u16(CLASS_IN)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.POINTER_LOOP);
    }

    @Test
    void pointerToItselfIsRejected() {
        // given
        byte[] packet = DnsPacketBuilder.withHeader(9, 0).counts(1, 0, 0, 0)
                .pointer(12).u16(TYPE_A).u16(CLASS_IN).u8(0)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.INVALID_POINTER_TARGET);
    }

    @Test
    void forwardPointerIsRejected() {
        // given: the question name points to a name written after it
        byte[] packet = DnsPacketBuilder.withHeader(10, 0).counts(1, 0, 0, 0)
                .pointer(18).u16(TYPE_A).u16(CLASS_IN).name("example.com")
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.INVALID_POINTER_TARGET);
    }

    @Test
    void pointerIntoHeaderIsRejected() {
        // given
        byte[] packet = DnsPacketBuilder.withHeader(11, 0).counts(1, 0, 0, 0)
                .pointer(4).u16(TYPE_A).u16(CLASS_IN)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.INVALID_POINTER_TARGET);
    }

    @Test
    void chainOfMorePointersThanAllowedIsRejected() {
        // given: a TXT answer whose RDATA holds a root label followed by 20 pointers, each to the previous
        DnsPacketBuilder builder = DnsPacketBuilder.response(12, 0, "x.example", TYPE_A).counts(1, 2, 0, 0);
        builder.name("x.example").u16(TYPE_TXT).u16(CLASS_IN).u32(0).u16(1 + 2 * 20);
        int previous = builder.nextOffset();
        builder.rootLabel();
        for (int i = 0; i < 20; i++) {
            int here = builder.nextOffset();
            builder.pointer(previous);
            previous = here;
        }
        builder.pointer(previous).u16(TYPE_A).u16(CLASS_IN).u32(0).u16(4).u32(0x0A000001);

        // when
        DnsParseStatus status = parse(builder.build());

        // then
        assertThat(status).isEqualTo(DnsParseStatus.TOO_MANY_POINTERS);
    }

    @Test
    void labelOf64BytesIsRejected() {
        // given
        byte[] packet = DnsPacketBuilder.withHeader(13, 0).counts(1, 0, 0, 0)
                .label("a".repeat(64)).rootLabel().u16(TYPE_A).u16(CLASS_IN)
                .build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.LABEL_TOO_LONG);
    }

    @Test
    void nameOf255WireBytesIsAcceptedAndLowerCased() {
        // given: 3 × (1 + 63) + (1 + 61) + 1 = 255
        String name = "A".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        byte[] packet = DnsPacketBuilder.query(14, name, TYPE_A).build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.questionNameLength()).isEqualTo(253);
        assertThat(message.questionName(interner)).isEqualTo(name.toLowerCase(Locale.ROOT));
    }

    @Test
    void nameOver255WireBytesIsRejected() {
        // given: 3 × (1 + 63) + (1 + 62) + 1 = 256
        String name = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(62);
        byte[] packet = DnsPacketBuilder.query(15, name, TYPE_A).build();

        // when
        DnsParseStatus status = parse(packet);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.NAME_TOO_LONG);
    }

    @Test
    void nameOver255BytesThroughCompressionIsRejected() {
        // given: a 192-byte name, then a name of two 32-byte labels pointing to it: 66 + 192 = 258
        String suffix = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63);
        DnsPacketBuilder builder = DnsPacketBuilder.query(16, suffix, TYPE_A).counts(1, 1, 0, 0);
        builder.label("x".repeat(32)).label("y".repeat(32)).pointer(12)
                .u16(TYPE_A).u16(CLASS_IN).u32(0).u16(4).u32(0x0A000001);

        // when
        DnsParseStatus status = parse(builder.build());

        // then
        assertThat(status).isEqualTo(DnsParseStatus.NAME_TOO_LONG);
    }

    @Test
    void questionNameCutShortIsTruncated() {
        // given: "example.com" is cut inside its second label, with padding zeros only outside the message
        byte[] full = DnsPacketBuilder.query(19, "example.com", TYPE_A).build();
        byte[] padded = Arrays.copyOf(full, 64);

        // when
        DnsParseStatus status = parser.parse(padded, 0, 12 + 10, message);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.NAME_TRUNCATED);
    }

    @Test
    void messageAtAnOffsetResolvesPointersRelativeToItsStart() throws Exception {
        // given: the packet sits after 40 bytes of unrelated headers
        byte[] dns = DnsPacketBuilder.response(29, 0, "www.example.com", TYPE_A).counts(1, 1, 0, 0)
                .pointer(12).u16(TYPE_A).u16(CLASS_IN).u32(60).u16(4).u32(0x0A000005)
                .build();
        byte[] frame = new byte[40 + dns.length + 9];
        System.arraycopy(dns, 0, frame, 40, dns.length);

        // when
        DnsParseStatus status = parser.parse(frame, 40, dns.length, message);

        // then
        assertThat(status).isEqualTo(DnsParseStatus.OK);
        assertThat(message.questionName(interner)).isEqualTo("www.example.com");
        assertThat(answerAddress(0)).isEqualTo("10.0.0.5");
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
