package io.cnm4j.dns.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Test-only writer of DNS messages in wire format. Section methods append a whole entry and count
 * it in the header; the low-level methods append raw bytes so tests can craft malformed names and
 * compression pointers; {@link #counts} overrides the header counts to make them lie.
 */
final class DnsPacketBuilder {
    static final int TYPE_A = 1;
    static final int TYPE_CNAME = 5;
    static final int TYPE_SOA = 6;
    static final int TYPE_TXT = 16;
    static final int TYPE_AAAA = 28;
    static final int TYPE_OPT = 41;
    static final int CLASS_IN = 1;
    static final int FLAG_RESPONSE = 0x8000;
    static final int FLAG_RECURSION_DESIRED = 0x0100;
    static final int FLAG_RECURSION_AVAILABLE = 0x0080;
    static final int FLAG_TRUNCATED = 0x0200;

    private static final int HEADER_LENGTH = 12;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int id;
    private final int flags;
    private int questions;
    private int answers;
    private int authorities;
    private int additionals;
    private int[] countOverride;

    private DnsPacketBuilder(int id, int flags) {
        this.id = id;
        this.flags = flags;
    }

    static DnsPacketBuilder withHeader(int id, int flags) {
        return new DnsPacketBuilder(id, flags);
    }

    static DnsPacketBuilder query(int id, String name, int type) {
        return new DnsPacketBuilder(id, FLAG_RECURSION_DESIRED).question(name, type);
    }

    static DnsPacketBuilder response(int id, int rcode, String name, int type) {
        return new DnsPacketBuilder(id, FLAG_RESPONSE | FLAG_RECURSION_DESIRED | FLAG_RECURSION_AVAILABLE | rcode)
                .question(name, type);
    }

    DnsPacketBuilder question(String name, int type) {
        questions++;
        return name(name).u16(type).u16(CLASS_IN);
    }

    DnsPacketBuilder answerA(String owner, int ttl, String ipv4) {
        return answer(owner, TYPE_A, ttl, address(ipv4));
    }

    DnsPacketBuilder answerAaaa(String owner, int ttl, String ipv6) {
        return answer(owner, TYPE_AAAA, ttl, address(ipv6));
    }

    DnsPacketBuilder answerCname(String owner, int ttl, String target) {
        return answer(owner, TYPE_CNAME, ttl, encodeName(target));
    }

    DnsPacketBuilder answer(String owner, int type, int ttl, byte[] rdata) {
        answers++;
        return record(owner, type, CLASS_IN, ttl, rdata);
    }

    DnsPacketBuilder authority(String owner, int type, int ttl, byte[] rdata) {
        authorities++;
        return record(owner, type, CLASS_IN, ttl, rdata);
    }

    /** An EDNS OPT pseudo-record: root owner, CLASS = UDP payload size, TTL = extended rcode, version, flags. */
    DnsPacketBuilder additionalOpt(int udpPayloadSize, int extendedRcodeHigh) {
        additionals++;
        return rootLabel().u16(TYPE_OPT).u16(udpPayloadSize).u32(extendedRcodeHigh << 24).u16(0);
    }

    DnsPacketBuilder record(String owner, int type, int recordClass, int ttl, byte[] rdata) {
        return name(owner).u16(type).u16(recordClass).u32(ttl).u16(rdata.length).bytes(rdata);
    }

    /** Header counts to write instead of the ones counted by the section methods. */
    DnsPacketBuilder counts(int questionCount, int answerCount, int authorityCount, int additionalCount) {
        countOverride = new int[] {questionCount, answerCount, authorityCount, additionalCount};
        return this;
    }

    DnsPacketBuilder name(String dotted) {
        return bytes(encodeName(dotted));
    }

    DnsPacketBuilder label(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return u8(bytes.length).bytes(bytes);
    }

    DnsPacketBuilder pointer(int messageOffset) {
        return u16(0xC000 | messageOffset);
    }

    DnsPacketBuilder rootLabel() {
        return u8(0);
    }

    DnsPacketBuilder u8(int value) {
        body.write(value);
        return this;
    }

    DnsPacketBuilder u16(int value) {
        return u8(value >>> 8).u8(value);
    }

    DnsPacketBuilder u32(int value) {
        return u16(value >>> 16).u16(value);
    }

    DnsPacketBuilder bytes(byte[] bytes) {
        body.writeBytes(bytes);
        return this;
    }

    /** Offset within the message of the next byte to be appended, for compression pointers. */
    int nextOffset() {
        return HEADER_LENGTH + body.size();
    }

    /** The bytes appended so far, without a header: RDATA for another builder. */
    byte[] bodyBytes() {
        return body.toByteArray();
    }

    byte[] build() {
        int[] counts = countOverride != null ? countOverride : new int[] {questions, answers, authorities, additionals};
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        writeU16(message, id);
        writeU16(message, flags);
        for (int count : counts) {
            writeU16(message, count);
        }
        message.writeBytes(body.toByteArray());
        return message.toByteArray();
    }

    static byte[] encodeName(String dotted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!dotted.isEmpty()) {
            for (String label : dotted.split("\\.")) {
                byte[] bytes = label.getBytes(StandardCharsets.ISO_8859_1);
                out.write(bytes.length);
                out.writeBytes(bytes);
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static void writeU16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }
}
