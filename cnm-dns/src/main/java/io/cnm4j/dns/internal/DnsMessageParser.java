package io.cnm4j.dns.internal;

import java.util.Objects;

/**
 * Parses DNS messages in wire format (RFC 1035, with EDNS from RFC 6891) into a reusable
 * {@link DnsMessage}, allocating nothing per message.
 *
 * <p>Every section is walked so that a message whose counts or lengths lie is rejected rather than
 * half-read: answers of type A, AAAA and CNAME are decoded, every other record is stepped over by
 * its RDLENGTH, and an OPT record in the additional section is recognised. Names are checked for
 * label and total length, and compression pointers must point backwards into the message body, so
 * hostile input costs bounded time. Bytes after the last record are ignored.
 *
 * <p>Malformed input is reported as a {@link DnsParseStatus}, never thrown. Payloads held in a
 * {@code ByteBuffer} or {@code MemorySegment} are copied into a reusable {@code byte[]} first; a DNS
 * message is at most 64 KiB and usually a few hundred bytes.
 *
 * <p>Not thread-safe: it keeps scratch state, so use one parser per capture thread.
 */
public final class DnsMessageParser {
    private static final int HEADER_LENGTH = 12;
    private static final int MIN_QUESTION_LENGTH = 5;
    private static final int MIN_RECORD_LENGTH = 11;
    private static final int RECORD_FIXED_LENGTH = 10;
    private static final int QUESTION_FIXED_LENGTH = 4;
    private static final int TYPE_A = 1;
    private static final int TYPE_CNAME = 5;
    private static final int TYPE_AAAA = 28;
    private static final int TYPE_OPT = 41;
    private static final int CLASS_IN = 1;
    private static final int IPV4_LENGTH = 4;
    private static final int IPV6_LENGTH = 16;

    private final DnsNameReader names = new DnsNameReader();
    private final AnswerChainResolver chain = new AnswerChainResolver();

    // Set by the record readers: where the next record starts.
    private int cursor;

    /**
     * Parses the DNS message in {@code buffer[offset, offset + length)} into {@code message}.
     *
     * @return {@link DnsParseStatus#OK}, or why the bytes are not a well-formed DNS message
     * @throws IndexOutOfBoundsException if the range lies outside {@code buffer} (a caller bug,
     *         unlike malformed content)
     */
    public DnsParseStatus parse(byte[] buffer, int offset, int length, DnsMessage message) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        message.reset();
        chain.reset();
        if (length < HEADER_LENGTH) {
            return DnsParseStatus.HEADER_TRUNCATED;
        }
        int questions = readUnsignedShort(buffer, offset + 4);
        int answers = readUnsignedShort(buffer, offset + 6);
        int authorities = readUnsignedShort(buffer, offset + 8);
        int additionals = readUnsignedShort(buffer, offset + 10);
        message.setHeader(readUnsignedShort(buffer, offset), readUnsignedShort(buffer, offset + 2), questions);
        int smallestPossibleLength = HEADER_LENGTH + questions * MIN_QUESTION_LENGTH
                + (answers + authorities + additionals) * MIN_RECORD_LENGTH;
        if (smallestPossibleLength > length) {
            return DnsParseStatus.COUNTS_EXCEED_PAYLOAD;
        }
        int end = offset + length;
        cursor = offset + HEADER_LENGTH;
        for (int i = 0; i < questions; i++) {
            DnsParseStatus status = readQuestion(buffer, offset, end, message, i == 0);
            if (status != DnsParseStatus.OK) {
                return status;
            }
        }
        for (int i = 0; i < answers; i++) {
            DnsParseStatus status = readAnswer(buffer, offset, end);
            if (status != DnsParseStatus.OK) {
                return status;
            }
        }
        for (int i = 0; i < authorities + additionals; i++) {
            DnsParseStatus status = readOtherRecord(buffer, offset, end, message);
            if (status != DnsParseStatus.OK) {
                return status;
            }
        }
        if (questions > 0) {
            collectAnswerAddresses(buffer, message);
        }
        return DnsParseStatus.OK;
    }

    private DnsParseStatus readQuestion(byte[] buffer, int messageStart, int end, DnsMessage message,
            boolean first) {
        DnsParseStatus status = first
                ? names.decode(buffer, messageStart, end, cursor, message.questionNameBuffer(), 0)
                : names.skip(buffer, messageStart, end, cursor);
        if (status != DnsParseStatus.OK) {
            return status;
        }
        int fixed = names.nextPosition();
        if (fixed + QUESTION_FIXED_LENGTH > end) {
            return DnsParseStatus.QUESTION_TRUNCATED;
        }
        if (first) {
            message.setQuestion(names.decodedLength(), readUnsignedShort(buffer, fixed),
                    readUnsignedShort(buffer, fixed + 2));
        }
        cursor = fixed + QUESTION_FIXED_LENGTH;
        return DnsParseStatus.OK;
    }

    private DnsParseStatus readAnswer(byte[] buffer, int messageStart, int end) {
        int ownerPosition = cursor;
        DnsParseStatus status = stepOverRecord(buffer, messageStart, end);
        if (status != DnsParseStatus.OK) {
            return status;
        }
        int fixed = names.nextPosition();
        if (readUnsignedShort(buffer, fixed + 2) != CLASS_IN) {
            return DnsParseStatus.OK;
        }
        int type = readUnsignedShort(buffer, fixed);
        int rdataLength = readUnsignedShort(buffer, fixed + 8);
        int rdataPosition = fixed + RECORD_FIXED_LENGTH;
        return switch (type) {
            case TYPE_A -> trackAddress(buffer, messageStart, end, ownerPosition, rdataPosition, rdataLength,
                    IPV4_LENGTH, readInt(buffer, fixed + 4));
            case TYPE_AAAA -> trackAddress(buffer, messageStart, end, ownerPosition, rdataPosition, rdataLength,
                    IPV6_LENGTH, readInt(buffer, fixed + 4));
            case TYPE_CNAME -> trackCname(buffer, messageStart, end, ownerPosition, rdataPosition, rdataLength);
            default -> DnsParseStatus.OK;
        };
    }

    private DnsParseStatus trackAddress(byte[] buffer, int messageStart, int end, int ownerPosition,
            int rdataPosition, int rdataLength, int addressLength, int ttl) {
        if (rdataLength != addressLength) {
            return DnsParseStatus.RDATA_MALFORMED;
        }
        int slot = chain.reserveSlot();
        if (slot < 0) {
            return DnsParseStatus.OK;
        }
        DnsParseStatus status = names.decode(buffer, messageStart, end, ownerPosition, chain.names(),
                chain.ownerOffset(slot));
        if (status == DnsParseStatus.OK) {
            chain.commitAddress(names.decodedLength(), rdataPosition, rdataLength, ttl);
        }
        return status;
    }

    private DnsParseStatus trackCname(byte[] buffer, int messageStart, int end, int ownerPosition,
            int rdataPosition, int rdataLength) {
        int slot = chain.reserveSlot();
        if (slot < 0) {
            return DnsParseStatus.OK;
        }
        DnsParseStatus status = names.decode(buffer, messageStart, end, ownerPosition, chain.names(),
                chain.ownerOffset(slot));
        if (status != DnsParseStatus.OK) {
            return status;
        }
        int ownerLength = names.decodedLength();
        status = names.decode(buffer, messageStart, end, rdataPosition, chain.names(), chain.cnameTargetOffset(slot));
        if (status != DnsParseStatus.OK) {
            return status;
        }
        if (names.nextPosition() != rdataPosition + rdataLength) {
            return DnsParseStatus.RDATA_MALFORMED;
        }
        chain.commitCname(ownerLength, names.decodedLength());
        return DnsParseStatus.OK;
    }

    private DnsParseStatus readOtherRecord(byte[] buffer, int messageStart, int end, DnsMessage message) {
        DnsParseStatus status = stepOverRecord(buffer, messageStart, end);
        if (status != DnsParseStatus.OK) {
            return status;
        }
        int fixed = names.nextPosition();
        if (readUnsignedShort(buffer, fixed) == TYPE_OPT && !message.hasEdns()) {
            // OPT reuses CLASS for the UDP payload size and the top TTL byte for the rcode's upper bits.
            message.setEdns(readUnsignedShort(buffer, fixed + 2), buffer[fixed + 4] & 0xFF);
        }
        return DnsParseStatus.OK;
    }

    /**
     * Validates the record at {@link #cursor} and moves the cursor past it; its fixed fields start at
     * {@code names.nextPosition()}.
     */
    private DnsParseStatus stepOverRecord(byte[] buffer, int messageStart, int end) {
        DnsParseStatus status = names.skip(buffer, messageStart, end, cursor);
        if (status != DnsParseStatus.OK) {
            return status;
        }
        int fixed = names.nextPosition();
        if (fixed + RECORD_FIXED_LENGTH > end) {
            return DnsParseStatus.RECORD_TRUNCATED;
        }
        int rdataEnd = fixed + RECORD_FIXED_LENGTH + readUnsignedShort(buffer, fixed + 8);
        if (rdataEnd > end) {
            return DnsParseStatus.RDATA_BEYOND_END;
        }
        cursor = rdataEnd;
        return DnsParseStatus.OK;
    }

    private void collectAnswerAddresses(byte[] buffer, DnsMessage message) {
        chain.resolve(message.questionNameBuffer(), 0, message.questionNameLength());
        for (int i = 0; i < chain.resolvedCount(); i++) {
            message.addAnswerAddress(buffer, chain.resolvedRdataPosition(i), chain.resolvedRdataLength(i),
                    chain.resolvedTtlSeconds(i));
        }
        if (chain.recordsIgnored()) {
            message.markAnswerAddressesOmitted();
        }
    }

    private static int readUnsignedShort(byte[] buffer, int position) {
        return ((buffer[position] & 0xFF) << 8) | (buffer[position + 1] & 0xFF);
    }

    private static int readInt(byte[] buffer, int position) {
        return (readUnsignedShort(buffer, position) << 16) | readUnsignedShort(buffer, position + 2);
    }
}
