package io.cnm4j.dns.internal;

import io.cnm4j.dns.internal.DnsParseStatus;

/**
 * Reads RFC 1035 domain names from a DNS message in wire form, either skipping them or decoding
 * them into lower-case dotted text ({@code www.example.com}, the root as an empty name).
 *
 * <p>Compression pointers are followed only backwards: each pointer must land in the message body,
 * strictly before itself and strictly before every label already read for the same name. Offsets
 * therefore decrease with every hop, so decoding always terminates, and the hop count is also capped
 * so that a crafted chain cannot make one name cost thousands of steps.
 *
 * <p>Results of the last call are left in {@link #nextPosition()} and {@link #decodedLength()}, so
 * no object is allocated per name. Not thread-safe: one instance per parser.
 */
final class DnsNameReader {
    /** Longest name in wire form, including the length bytes and the terminating root label. */
    public static final int MAX_WIRE_LENGTH = 255;
    /** Longest decoded dotted name: the wire form less its first length byte and the root label. */
    public static final int MAX_DECODED_LENGTH = MAX_WIRE_LENGTH - 2;
    /** Compression pointers allowed in one name; real encoders need one, rarely two or three. */
    public static final int MAX_POINTERS_PER_NAME = 16;

    private static final int HEADER_LENGTH = 12;
    private static final int LABEL_TYPE_MASK = 0xC0;
    private static final int POINTER_TAG = 0xC0;

    private int nextPosition;
    private int decodedLength;

    /** Position just after the name in the record that contained it (after its first pointer, if any). */
    public int nextPosition() {
        return nextPosition;
    }

    /** Length of the dotted text written by the last {@link #decode}. */
    public int decodedLength() {
        return decodedLength;
    }

    /**
     * Validates the name at {@code position} without following its compression pointer, which is
     * enough to step over names whose text is not needed.
     *
     * @param message       the buffer holding the message
     * @param messageStart  index of the message's first header byte; pointers are relative to it
     * @param messageEnd    index just past the message's last byte
     * @param position      index of the name's first length byte
     */
    public DnsParseStatus skip(byte[] message, int messageStart, int messageEnd, int position) {
        int wireLength = 1;
        int cursor = position;
        while (true) {
            if (cursor >= messageEnd) {
                return DnsParseStatus.NAME_TRUNCATED;
            }
            int lengthByte = message[cursor] & 0xFF;
            if (lengthByte == 0) {
                nextPosition = cursor + 1;
                return DnsParseStatus.OK;
            }
            if ((lengthByte & LABEL_TYPE_MASK) == POINTER_TAG) {
                if (cursor + 1 >= messageEnd) {
                    return DnsParseStatus.NAME_TRUNCATED;
                }
                int target = pointerTarget(message, messageStart, cursor);
                if (target < messageStart + HEADER_LENGTH || target >= cursor) {
                    return DnsParseStatus.INVALID_POINTER_TARGET;
                }
                nextPosition = cursor + 2;
                return DnsParseStatus.OK;
            }
            if ((lengthByte & LABEL_TYPE_MASK) != 0) {
                return DnsParseStatus.LABEL_TOO_LONG;
            }
            wireLength += 1 + lengthByte;
            if (wireLength > MAX_WIRE_LENGTH) {
                return DnsParseStatus.NAME_TOO_LONG;
            }
            cursor += 1 + lengthByte;
        }
    }

    /**
     * Decodes the name at {@code position}, following compression pointers, into lower-case dotted
     * text at {@code out[outOffset]}; {@code out} needs room for {@link #MAX_DECODED_LENGTH} bytes.
     * Only ASCII letters are folded: DNS compares names case-insensitively in ASCII (RFC 4343).
     *
     * @param message       the buffer holding the message
     * @param messageStart  index of the message's first header byte; pointers are relative to it
     * @param messageEnd    index just past the message's last byte
     * @param position      index of the name's first length byte
     */
    public DnsParseStatus decode(byte[] message, int messageStart, int messageEnd, int position,
            byte[] out, int outOffset) {
        int wireLength = 1;
        int written = 0;
        int pointers = 0;
        int runStart = position;
        int cursor = position;
        int resumeAt = -1;
        while (true) {
            if (cursor >= messageEnd) {
                return DnsParseStatus.NAME_TRUNCATED;
            }
            int lengthByte = message[cursor] & 0xFF;
            if (lengthByte == 0) {
                nextPosition = resumeAt >= 0 ? resumeAt : cursor + 1;
                decodedLength = written;
                return DnsParseStatus.OK;
            }
            if ((lengthByte & LABEL_TYPE_MASK) == POINTER_TAG) {
                if (cursor + 1 >= messageEnd) {
                    return DnsParseStatus.NAME_TRUNCATED;
                }
                int target = pointerTarget(message, messageStart, cursor);
                if (target < messageStart + HEADER_LENGTH || target >= cursor) {
                    return DnsParseStatus.INVALID_POINTER_TARGET;
                }
                if (target >= runStart) {
                    return DnsParseStatus.POINTER_LOOP;
                }
                if (++pointers > MAX_POINTERS_PER_NAME) {
                    return DnsParseStatus.TOO_MANY_POINTERS;
                }
                if (resumeAt < 0) {
                    resumeAt = cursor + 2;
                }
                runStart = target;
                cursor = target;
                continue;
            }
            if ((lengthByte & LABEL_TYPE_MASK) != 0) {
                return DnsParseStatus.LABEL_TOO_LONG;
            }
            wireLength += 1 + lengthByte;
            if (wireLength > MAX_WIRE_LENGTH) {
                return DnsParseStatus.NAME_TOO_LONG;
            }
            int labelStart = cursor + 1;
            int labelEnd = labelStart + lengthByte;
            if (labelEnd > messageEnd) {
                return DnsParseStatus.NAME_TRUNCATED;
            }
            if (written > 0) {
                out[outOffset + written++] = '.';
            }
            for (int i = labelStart; i < labelEnd; i++) {
                byte b = message[i];
                out[outOffset + written++] = (b >= 'A' && b <= 'Z') ? (byte) (b + ('a' - 'A')) : b;
            }
            cursor = labelEnd;
        }
    }

    private static int pointerTarget(byte[] message, int messageStart, int cursor) {
        return messageStart + (((message[cursor] & 0x3F) << 8) | (message[cursor + 1] & 0xFF));
    }
}
