package io.cnm4j.dns.internal;

import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_A;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_AAAA;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsTcpReassemblerTest {
    private final List<byte[]> delivered = new ArrayList<>();
    private final DnsTcpReassembler.MessageHandler collector = (buffer, offset, length) -> {
        delivered.add(Arrays.copyOfRange(buffer, offset, offset + length));
        return true;
    };

    private final byte[] first = DnsPacketBuilder.query(1, "first.example", TYPE_A).build();
    private final byte[] second = DnsPacketBuilder.query(2, "second.example", TYPE_AAAA).build();

    @Test
    void twoMessagesInOneSegmentAreBothDelivered() {
        // given
        DnsTcpReassembler reassembler = new DnsTcpReassembler();
        byte[] segment = concat(framed(first), framed(second));

        // when
        reassembler.accept(segment, 0, segment.length, collector);

        // then
        assertThat(delivered).containsExactly(first, second);
        assertThat(reassembler.bufferedBytes()).isZero();
        assertThat(reassembler.resets()).isZero();
    }

    @Test
    void messageSplitAcrossThreeSegmentsIsDeliveredOnceComplete() {
        // given: the first cut falls inside the length prefix
        DnsTcpReassembler reassembler = new DnsTcpReassembler();
        byte[] stream = framed(first);

        // when / then
        reassembler.accept(stream, 0, 1, collector);
        assertThat(delivered).isEmpty();
        assertThat(reassembler.bufferedBytes()).isEqualTo(1);

        reassembler.accept(stream, 1, 19, collector);
        assertThat(delivered).isEmpty();
        assertThat(reassembler.bufferedBytes()).isEqualTo(20);

        reassembler.accept(stream, 20, stream.length - 20, collector);
        assertThat(delivered).containsExactly(first);
        assertThat(reassembler.bufferedBytes()).isZero();
        assertThat(reassembler.resets()).isZero();
    }

    @Test
    void segmentEndingOneMessageAndStartingTheNextDeliversBothInOrder() {
        // given
        DnsTcpReassembler reassembler = new DnsTcpReassembler();
        byte[] stream = concat(framed(first), framed(second));
        int cut = framed(first).length - 5;

        // when
        reassembler.accept(stream, 0, cut, collector);
        reassembler.accept(stream, cut, 10, collector);
        reassembler.accept(stream, cut + 10, stream.length - cut - 10, collector);

        // then
        assertThat(delivered).containsExactly(first, second);
        assertThat(reassembler.bufferedBytes()).isZero();
    }

    @Test
    void zeroLengthIsGarbageThatResetsTheStream() {
        // given
        DnsTcpReassembler reassembler = new DnsTcpReassembler();
        byte[] segment = concat(new byte[] {0, 0}, framed(first));

        // when
        reassembler.accept(segment, 0, segment.length, collector);

        // then: the rest of the segment is dropped with it
        assertThat(delivered).isEmpty();
        assertThat(reassembler.resets()).isEqualTo(1);
        assertThat(reassembler.bufferedBytes()).isZero();
    }

    @Test
    void zeroLengthSplitAcrossSegmentsIsGarbageToo() {
        // given
        DnsTcpReassembler reassembler = new DnsTcpReassembler();

        // when
        reassembler.accept(new byte[] {0}, 0, 1, collector);
        reassembler.accept(new byte[] {0, 1, 2}, 0, 3, collector);

        // then
        assertThat(reassembler.resets()).isEqualTo(1);
        assertThat(reassembler.bufferedBytes()).isZero();
    }

    @Test
    void lengthOverTheLimitIsGarbageAndNothingIsBuffered() {
        // given
        DnsTcpReassembler reassembler = new DnsTcpReassembler(512);
        byte[] segment = new byte[1400];
        segment[0] = (byte) 0xFF;
        segment[1] = (byte) 0xFF;

        // when
        reassembler.accept(segment, 0, segment.length, collector);

        // then
        assertThat(delivered).isEmpty();
        assertThat(reassembler.resets()).isEqualTo(1);
        assertThat(reassembler.bufferedBytes()).isZero();
    }

    @Test
    void largestAnnouncedLengthIsBufferedUntilComplete() {
        // given
        DnsTcpReassembler reassembler = new DnsTcpReassembler();
        byte[] stream = new byte[2 + 0xFFFF];
        stream[0] = (byte) 0xFF;
        stream[1] = (byte) 0xFF;

        // when
        reassembler.accept(stream, 0, 1400, collector);
        int bufferedMidway = reassembler.bufferedBytes();
        reassembler.accept(stream, 1400, stream.length - 1400, collector);

        // then
        assertThat(bufferedMidway).isEqualTo(1400);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.getFirst()).hasSize(0xFFFF);
        assertThat(reassembler.bufferedBytes()).isZero();
    }

    @Test
    void lengthShorterThanADnsHeaderIsGarbage() {
        // given
        DnsTcpReassembler reassembler = new DnsTcpReassembler();
        byte[] segment = {0, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};

        // when
        reassembler.accept(segment, 0, segment.length, collector);

        // then
        assertThat(delivered).isEmpty();
        assertThat(reassembler.resets()).isEqualTo(1);
    }

    @Test
    void rejectedMessageResetsAndTheNextSegmentStartsAfresh() {
        // given: a handler that accepts only well-formed DNS
        DnsMessageParser parser = new DnsMessageParser();
        DnsMessage message = new DnsMessage();
        DnsTcpReassembler.MessageHandler parsing = (buffer, offset, length) -> {
            boolean valid = parser.parse(buffer, offset, length, message) == DnsParseStatus.OK;
            if (valid) {
                delivered.add(Arrays.copyOfRange(buffer, offset, offset + length));
            }
            return valid;
        };
        DnsTcpReassembler reassembler = new DnsTcpReassembler();
        byte[] garbage = new byte[20];
        Arrays.fill(garbage, (byte) 0xC0);
        byte[] badSegment = concat(framed(garbage), framed(first));

        // when
        reassembler.accept(badSegment, 0, badSegment.length, parsing);
        byte[] goodSegment = framed(second);
        reassembler.accept(goodSegment, 0, goodSegment.length, parsing);

        // then
        assertThat(reassembler.resets()).isEqualTo(1);
        assertThat(delivered).containsExactly(second);
    }

    @Test
    void clearDropsAPartialMessageWithoutCountingAReset() {
        // given
        DnsTcpReassembler reassembler = new DnsTcpReassembler();
        byte[] stream = framed(first);
        reassembler.accept(stream, 0, 10, collector);

        // when
        reassembler.clear();

        // then
        assertThat(reassembler.bufferedBytes()).isZero();
        assertThat(reassembler.resets()).isZero();
        reassembler.accept(framed(second), 0, framed(second).length, collector);
        assertThat(delivered).containsExactly(second);
    }

    private static byte[] framed(byte[] message) {
        byte[] frame = new byte[2 + message.length];
        frame[0] = (byte) (message.length >>> 8);
        frame[1] = (byte) message.length;
        System.arraycopy(message, 0, frame, 2, message.length);
        return frame;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
