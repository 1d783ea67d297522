package io.cnm4j.dns.internal;

import java.nio.charset.StandardCharsets;

/**
 * The parts of one DNS message that network monitoring needs, filled in place by
 * {@link DnsMessageParser} so that one instance serves every packet of a capture loop: header
 * fields, the first question, and the IPv4/IPv6 addresses that answer the question (following
 * CNAME chains), each with its TTL.
 *
 * <p>Contents are meaningful only after a parse that returned {@link DnsParseStatus#OK} and until
 * the next parse. Not thread-safe: confine an instance to the thread that parses into it.
 */
public final class DnsMessage {
    /** Addresses kept per message; further ones are left out and {@link #answerAddressesOmitted()} is set. */
    public static final int MAX_ANSWER_ADDRESSES = 64;

    private static final int IPV6_LENGTH = 16;
    private static final int QR_BIT = 0x8000;
    private static final int TC_BIT = 0x0200;

    private final byte[] questionName = new byte[DnsNameReader.MAX_DECODED_LENGTH];
    private final byte[] addresses = new byte[MAX_ANSWER_ADDRESSES * IPV6_LENGTH];
    private final byte[] addressLengths = new byte[MAX_ANSWER_ADDRESSES];
    private final int[] ttlSeconds = new int[MAX_ANSWER_ADDRESSES];

    private int id;
    private int flags;
    private int questionCount;
    private int questionNameLength;
    private int questionType;
    private int questionClass;
    private int addressCount;
    private boolean addressesOmitted;
    private boolean hasEdns;
    private int ednsUdpPayloadSize;
    private int extendedRcodeHigh;

    /** Transaction id chosen by the client, echoed by the server. */
    public int id() {
        return id;
    }

    /** The 16 flag bits of the header as sent (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
    public int flags() {
        return flags;
    }

    /** True for a response (QR bit set), false for a query. */
    public boolean isResponse() {
        return (flags & QR_BIT) != 0;
    }

    /** Kind of query: 0 QUERY, 4 NOTIFY, 5 UPDATE… */
    public int opcode() {
        return (flags >>> 11) & 0xF;
    }

    /**
     * Response code: 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED…, including the upper eight bits
     * carried by an EDNS OPT record (RFC 6891 §6.1.3).
     */
    public int responseCode() {
        return (extendedRcodeHigh << 4) | (flags & 0xF);
    }

    /** True when the sender truncated the message (TC bit), typically to fit a UDP datagram. */
    public boolean isTruncated() {
        return (flags & TC_BIT) != 0;
    }

    /** Questions claimed by the header; the first one is described by the {@code question...} accessors. */
    public int questionCount() {
        return questionCount;
    }

    /** Length in bytes of the first question's lower-case dotted name; 0 for the root or no question. */
    public int questionNameLength() {
        return questionNameLength;
    }

    /**
     * The first question's lower-case dotted name, as the interner's shared String: no allocation
     * when the interner has seen this name recently.
     */
    public String questionName(DomainInterner interner) {
        return interner.intern(questionName, 0, questionNameLength);
    }

    /** Copies the first question's lower-case dotted name into {@code destination}; returns its length. */
    public int copyQuestionName(byte[] destination, int offset) {
        System.arraycopy(questionName, 0, destination, offset, questionNameLength);
        return questionNameLength;
    }

    /** Type of the first question: 1 A, 28 AAAA, 5 CNAME, 12 PTR…; 0 when there is no question. */
    public int questionType() {
        return questionType;
    }

    /** Class of the first question: 1 IN; 0 when there is no question. */
    public int questionClass() {
        return questionClass;
    }

    /** Addresses that answer the first question, directly or through a CNAME chain. */
    public int answerAddressCount() {
        return addressCount;
    }

    /**
     * True when answers may be missing: more than {@link #MAX_ANSWER_ADDRESSES} addresses answered, or
     * the answer section held more A/AAAA/CNAME records than the parser follows.
     */
    public boolean answerAddressesOmitted() {
        return addressesOmitted;
    }

    /** 4 for an IPv4 (A) answer, 16 for an IPv6 (AAAA) answer. */
    public int answerAddressLength(int index) {
        checkAnswerIndex(index);
        return addressLengths[index];
    }

    /** Copies an answer address in network byte order into {@code destination}; returns its length (4 or 16). */
    public int copyAnswerAddress(int index, byte[] destination, int offset) {
        checkAnswerIndex(index);
        int length = addressLengths[index];
        System.arraycopy(addresses, index * IPV6_LENGTH, destination, offset, length);
        return length;
    }

    /** How long the answer may be cached, in seconds; values with the top bit set read as 0 (RFC 2181 §8). */
    public int answerTtlSeconds(int index) {
        checkAnswerIndex(index);
        return ttlSeconds[index];
    }

    /** True when the additional section carries an EDNS OPT pseudo-record (RFC 6891). */
    public boolean hasEdns() {
        return hasEdns;
    }

    /** The sender's UDP payload size from its OPT record, in bytes; 0 without EDNS. */
    public int ednsUdpPayloadSize() {
        return ednsUdpPayloadSize;
    }

    void reset() {
        id = 0;
        flags = 0;
        questionCount = 0;
        questionNameLength = 0;
        questionType = 0;
        questionClass = 0;
        addressCount = 0;
        addressesOmitted = false;
        hasEdns = false;
        ednsUdpPayloadSize = 0;
        extendedRcodeHigh = 0;
    }

    void setHeader(int id, int flags, int questionCount) {
        this.id = id;
        this.flags = flags;
        this.questionCount = questionCount;
    }

    byte[] questionNameBuffer() {
        return questionName;
    }

    void setQuestion(int nameLength, int type, int questionClass) {
        this.questionNameLength = nameLength;
        this.questionType = type;
        this.questionClass = questionClass;
    }

    void setEdns(int udpPayloadSize, int extendedRcodeHigh) {
        this.hasEdns = true;
        this.ednsUdpPayloadSize = udpPayloadSize;
        this.extendedRcodeHigh = extendedRcodeHigh;
    }

    void addAnswerAddress(byte[] source, int offset, int length, int ttl) {
        if (addressCount == MAX_ANSWER_ADDRESSES) {
            addressesOmitted = true;
            return;
        }
        System.arraycopy(source, offset, addresses, addressCount * IPV6_LENGTH, length);
        addressLengths[addressCount] = (byte) length;
        ttlSeconds[addressCount] = Math.max(0, ttl);
        addressCount++;
    }

    void markAnswerAddressesOmitted() {
        addressesOmitted = true;
    }

    private void checkAnswerIndex(int index) {
        if (index < 0 || index >= addressCount) {
            throw new IndexOutOfBoundsException("answer " + index + " of " + addressCount);
        }
    }

    @Override
    public String toString() {
        return "DnsMessage[id=" + id + ", response=" + isResponse() + ", opcode=" + opcode()
                + ", rcode=" + responseCode() + ", truncated=" + isTruncated()
                + ", question=" + new String(questionName, 0, questionNameLength, StandardCharsets.ISO_8859_1)
                + ", qtype=" + questionType + ", addresses=" + addressCount + "]";
    }
}
