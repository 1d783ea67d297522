package io.cnm4j.dns.internal;

/**
 * Outcome of {@link DnsMessageParser#parse}: {@link #OK} or the first reason the payload is not a
 * well-formed DNS message. Returned instead of thrown because malformed packets are ordinary input
 * for a capture and must cost no more than a valid one.
 */
public enum DnsParseStatus {
    /** The message is well formed and the {@link DnsMessage} holds its contents. */
    OK,
    /** Fewer than the 12 bytes of a DNS header. */
    HEADER_TRUNCATED,
    /** The header claims more questions and records than the payload could hold, even minimally encoded. */
    COUNTS_EXCEED_PAYLOAD,
    /** A question's type or class runs past the end of the payload. */
    QUESTION_TRUNCATED,
    /** A resource record's fixed fields (type, class, TTL, RDLENGTH) run past the end of the payload. */
    RECORD_TRUNCATED,
    /** A resource record's RDLENGTH reaches past the end of the payload. */
    RDATA_BEYOND_END,
    /** The RDATA of an A, AAAA or CNAME answer does not have the shape its type requires. */
    RDATA_MALFORMED,
    /** A domain name runs past the end of the payload before its terminating root label. */
    NAME_TRUNCATED,
    /** A label length byte above 63 that is not a compression pointer (RFC 1035 §3.1, RFC 6891 §5). */
    LABEL_TOO_LONG,
    /** A domain name longer than 255 bytes in wire form (RFC 1035 §3.1). */
    NAME_TOO_LONG,
    /** A compression pointer into the header, or not strictly before the pointer itself. */
    INVALID_POINTER_TARGET,
    /** A compression pointer back into labels already read for the same name, which would loop forever. */
    POINTER_LOOP,
    /** A name that follows more compression pointers than any sensible encoder would write. */
    TOO_MANY_POINTERS
}
