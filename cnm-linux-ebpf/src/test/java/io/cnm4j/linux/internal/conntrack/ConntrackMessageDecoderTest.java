package io.cnm4j.linux.internal.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ctnetlink messages built byte by byte after {@code nfnetlink_conntrack.h}, decoded in place. */
class ConntrackMessageDecoderTest {
    private static final byte[] CLIENT = {10, 0, 0, 1};
    private static final byte[] VIRTUAL = {10, 0, 0, 99};
    private static final byte[] SERVER = {10, 0, 0, 2};

    private final CtTuple original = new CtTuple();
    private final CtTuple reply = new CtTuple();

    @Test
    void aDnatEntryDecodesBothTuplesExactly() {
        byte[] message = message(tuple(1, CLIENT, VIRTUAL, 6, 40_000, 80), tuple(2, SERVER, CLIENT, 6, 8080, 40_000));

        int result = decode(message);

        assertThat(result).isEqualTo(ConntrackMessageDecoder.DECODED);
        assertThat(original.addressBytes).isEqualTo(4);
        assertThat(original.protocol).isEqualTo(6);
        assertThat(Arrays.copyOf(original.source, 4)).containsExactly(CLIENT);
        assertThat(Arrays.copyOf(original.destination, 4)).containsExactly(VIRTUAL);
        assertThat(original.sourcePort).isEqualTo(40_000);
        assertThat(original.destinationPort).isEqualTo(80);
        assertThat(Arrays.copyOf(reply.source, 4)).containsExactly(SERVER);
        assertThat(reply.sourcePort).isEqualTo(8080);
        assertThat(original.isInverseOf(reply)).isFalse();
    }

    @Test
    void anUntranslatedEntryIsTheInverseOfItsReply() {
        byte[] message = message(tuple(1, CLIENT, SERVER, 17, 5000, 53), tuple(2, SERVER, CLIENT, 17, 53, 5000));

        assertThat(decode(message)).isEqualTo(ConntrackMessageDecoder.DECODED);
        assertThat(original.isInverseOf(reply)).isTrue();
    }

    @Test
    void ipv6AddressesAreDecoded() {
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        a[15] = 1;
        b[0] = (byte) 0xfd;
        b[15] = 2;
        byte[] message = message(tuple(1, a, b, 6, 1, 2), tuple(2, b, a, 6, 2, 1));

        assertThat(decode(message)).isEqualTo(ConntrackMessageDecoder.DECODED);
        assertThat(original.addressBytes).isEqualTo(16);
        assertThat(original.destination).containsExactly(b);
    }

    @Test
    void anIcmpEntryIsAnotherProtocolNotARejection() {
        byte[] message = message(tuple(1, CLIENT, SERVER, 1, -1, -1), tuple(2, SERVER, CLIENT, 1, -1, -1));

        assertThat(decode(message)).isEqualTo(ConntrackMessageDecoder.OTHER_PROTOCOL);
    }

    @Test
    void anAttributeLongerThanItsMessageIsMalformed() {
        byte[] message = message(tuple(1, CLIENT, VIRTUAL, 6, 40_000, 80), tuple(2, SERVER, CLIENT, 6, 8080, 40_000));
        message[20] = (byte) 0xFF; // first attribute's length, now beyond the message

        assertThat(decode(message)).isEqualTo(ConntrackMessageDecoder.MALFORMED);
    }

    @Test
    void aMessageWithoutReplyTupleIsMalformed() {
        byte[] message = message(tuple(1, CLIENT, VIRTUAL, 6, 40_000, 80), new byte[0]);

        assertThat(decode(message)).isEqualTo(ConntrackMessageDecoder.MALFORMED);
    }

    @Test
    void aMessageShorterThanItsHeadersIsMalformed() {
        assertThat(ConntrackMessageDecoder.decode(MemorySegment.ofArray(new byte[12]), 0, 12, original, reply))
                .isEqualTo(ConntrackMessageDecoder.MALFORMED);
    }

    @Test
    void randomBytesAndTruncationsAreRejectionsNeverExceptions() {
        Random random = new Random(20261203);
        byte[] valid = message(tuple(1, CLIENT, VIRTUAL, 6, 40_000, 80), tuple(2, SERVER, CLIENT, 6, 8080, 40_000));
        int malformed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] message = i % 2 == 0 ? valid.clone() : new byte[random.nextInt(200)];
            if (i % 2 == 0) {
                message[random.nextInt(message.length)] = (byte) random.nextInt(256);
            } else {
                random.nextBytes(message);
            }
            int length = random.nextInt(message.length + 1);

            int result = ConntrackMessageDecoder.decode(MemorySegment.ofArray(message), 0, length, original, reply);

            assertThat(result).isIn(ConntrackMessageDecoder.DECODED, ConntrackMessageDecoder.OTHER_PROTOCOL,
                    ConntrackMessageDecoder.MALFORMED);
            malformed += result == ConntrackMessageDecoder.MALFORMED ? 1 : 0;
        }
        assertThat(malformed).isPositive();
    }

    private int decode(byte[] message) {
        return ConntrackMessageDecoder.decode(MemorySegment.ofArray(message), 0, message.length, original, reply);
    }

    /** nlmsghdr + nfgenmsg + the given attributes. */
    static byte[] message(byte[]... attributes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] attribute : attributes) {
            body.writeBytes(attribute);
        }
        ByteBuffer out = ByteBuffer.allocate(20 + body.size()).order(ByteOrder.nativeOrder());
        out.putInt(20 + body.size()).putShort((short) (1 << 8)).putShort((short) 0).putInt(0).putInt(0);
        out.put((byte) 2).put((byte) 0).putShort((short) 0);
        out.put(body.toByteArray());
        return out.array();
    }

    /** CTA_TUPLE_ORIG/REPLY with CTA_TUPLE_IP and CTA_TUPLE_PROTO; ports -1 are left out (ICMP). */
    static byte[] tuple(int type, byte[] source, byte[] destination, int protocol, int sourcePort, int destinationPort) {
        int v6 = source.length == 16 ? 2 : 0;
        byte[] ip = nested(1, attribute(1 + v6, source), attribute(2 + v6, destination));
        byte[] proto = sourcePort < 0 ? nested(2, attribute(1, new byte[] {(byte) protocol}))
                : nested(2, attribute(1, new byte[] {(byte) protocol}), attribute(2, port(sourcePort)),
                        attribute(3, port(destinationPort)));
        return nested(type, ip, proto);
    }

    private static byte[] port(int port) {
        return new byte[] {(byte) (port >> 8), (byte) port};
    }

    static byte[] nested(int type, byte[]... children) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (byte[] child : children) {
            payload.writeBytes(child);
        }
        return attribute(type | 0x8000, payload.toByteArray());
    }

    static byte[] attribute(int type, byte[] payload) {
        int length = 4 + payload.length;
        ByteBuffer out = ByteBuffer.allocate((length + 3) & ~3).order(ByteOrder.nativeOrder());
        out.putShort((short) length).putShort((short) type).put(payload);
        return out.array();
    }
}
