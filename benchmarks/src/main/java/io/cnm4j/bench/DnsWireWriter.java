package io.cnm4j.bench;

import java.util.Arrays;

/**
 * Writes DNS messages in wire format (RFC 1035), field by field, for the benchmarks' set-up:
 * big-endian integers, names as length-prefixed labels, and compression pointers. Checks nothing
 * but what it must to stay in bounds; the message is what the caller writes. Not thread-safe.
 */
final class DnsWireWriter {
    private byte[] bytes = new byte[512];
    private int length;

    /** Where the next byte goes: the offset a later compression pointer refers to. */
    int position() {
        return length;
    }

    DnsWireWriter u8(int value) {
        if (length == bytes.length) {
            bytes = Arrays.copyOf(bytes, 2 * length);
        }
        bytes[length++] = (byte) value;
        return this;
    }

    DnsWireWriter u16(int value) {
        return u8(value >>> 8).u8(value);
    }

    DnsWireWriter u32(int value) {
        return u16(value >>> 16).u16(value);
    }

    /** The 12-byte header: id, flags, then the question, answer, authority and additional counts. */
    DnsWireWriter header(int id, int flags, int questions, int answers, int authorities, int additionals) {
        return u16(id).u16(flags).u16(questions).u16(answers).u16(authorities).u16(additionals);
    }

    /** A dotted name ({@code "www.example.com"}) in full: its labels, then the root label. */
    DnsWireWriter name(String dotted) {
        for (String label : dotted.split("\\.")) {
            u8(label.length());
            for (int i = 0; i < label.length(); i++) {
                u8(label.charAt(i));
            }
        }
        return u8(0);
    }

    /** Bytes that {@link #name} writes for {@code dotted}: a length byte per label plus the root. */
    static int encodedLength(String dotted) {
        return dotted.length() + 2;
    }

    /** A name given as a compression pointer to the name written at {@code offset}. */
    DnsWireWriter pointer(int offset) {
        return u16(0xC000 | offset);
    }

    /** TYPE, CLASS, TTL and RDLENGTH of a resource record, after its owner name. */
    DnsWireWriter recordFields(int type, int recordClass, int ttlSeconds, int rdataLength) {
        return u16(type).u16(recordClass).u32(ttlSeconds).u16(rdataLength);
    }

    /** An EDNS OPT pseudo-record (RFC 6891) with no options, advertising {@code udpPayloadSize}. */
    DnsWireWriter ednsOpt(int udpPayloadSize) {
        // The root owner name, then CLASS carries the payload size and TTL the extended rcode and flags.
        return u8(0).recordFields(41, udpPayloadSize, 0, 0);
    }

    DnsWireWriter bytes(byte[] values) {
        for (byte value : values) {
            u8(value);
        }
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }
}
