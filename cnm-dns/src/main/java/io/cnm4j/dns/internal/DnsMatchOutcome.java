package io.cnm4j.dns.internal;

/** What {@link DnsQueryMatcher#onMessage} did with one message. */
enum DnsMatchOutcome {
    /** A query, now awaiting its response. */
    QUERY_PENDING,
    /**
     * A query equal to one captured from another client just before: the same lookup after NAT. It
     * awaits its response like any query, but its completion is not reported; counted.
     */
    QUERY_NAT_COPY,
    /** A query whose key was already pending (a retransmission); the first one keeps counting. */
    QUERY_DUPLICATE,
    /** A query dropped because the pending-query table was full; counted. */
    QUERY_DROPPED_AT_CAPACITY,
    /** A response that completed its query; the listener was called. */
    RESPONSE_MATCHED,
    /** A response that came after the timeout; the listener was called with a timeout. */
    RESPONSE_AFTER_TIMEOUT,
    /** A response with no pending query (never asked for, dropped, or already expired); counted. */
    RESPONSE_UNSOLICITED,
    /** A response whose key is pending but whose question differs; counted, the query keeps waiting. */
    RESPONSE_MISMATCHED
}
