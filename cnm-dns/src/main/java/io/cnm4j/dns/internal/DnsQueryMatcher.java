package io.cnm4j.dns.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Pairs captured DNS queries with their responses and reports each completed query, with its
 * response code and latency, or as a timeout, to a {@link DnsQueryListener}.
 *
 * <p>A query and its response share the key (client address, client port, server address, server
 * port, IP protocol, transaction id), and the response must repeat the query's question (name and
 * type), as RFC 5452 §9.1 asks of a resolver accepting an answer. Latency is measured between the capture
 * timestamps passed in, in nanoseconds from any single clock. A query without a response within the
 * timeout is reported as a timeout, either when {@link #expire} runs or when its late response
 * arrives. Queries beyond the pending-query limit are dropped; responses without a pending query
 * (unsolicited: anyone can send a packet from port 53) and responses whose question differs from
 * the pending query's (mismatched) are dropped and leave the pending query waiting; all are
 * counted, never silently lost. Only a matched response may be trusted to label addresses.
 *
 * <p>One lookup can be captured twice: a container's query crosses the bridge with the container's
 * address and leaves the uplink with the host's after MASQUERADE (or any source NAT). Both copies
 * have the same server, server port, protocol, transaction id and question; only the client
 * differs. A query equal to one captured from another client less than {@link #NAT_COPY_WINDOW}
 * before is taken for such a copy: it is matched with its response as usual, but its completion
 * is not reported, so the lookup counts once, under the client whose copy was captured first
 * (counted in {@link #natDuplicateQueries()}). Two clients that ask a server the same question
 * with the same transaction id within the window (one chance in 65,536 per pair) count once too.
 * Queries are remembered for this in a bounded table as large as the pending-query limit; a query
 * forgotten early because its bucket was full is counted in {@link #natWindowEvictions()}.
 *
 * <p>After construction nothing is allocated per message except the String of a domain the
 * {@link DomainInterner} has not seen recently.
 *
 * <p>Not thread-safe: all methods, counters included, must be called from one thread (typically the
 * capture thread), which is also the thread that calls the listener.
 */
final class DnsQueryMatcher {
    /** Pending queries tracked by default. */
    public static final int DEFAULT_MAX_PENDING_QUERIES = 10_000;
    /** Time after which an unanswered query counts as a timeout by default. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(15);
    /** How long after a query's first capture another client's equal query is taken for its NAT'd copy. */
    public static final Duration NAT_COPY_WINDOW = Duration.ofSeconds(2);

    private final PendingQueryTable pending;
    private final RecentQueryTable recent;
    private final long timeoutNanos;
    private final DomainInterner domains;
    private final DnsQueryListener listener;
    private final CompletedDnsQuery completed = new CompletedDnsQuery();

    private long matchedResponses;
    private long unsolicitedResponses;
    private long mismatchedResponses;
    private long timeouts;
    private long duplicateQueries;
    private long queriesDroppedAtCapacity;
    private long natDuplicateQueries;

    private DnsQueryMatcher(Builder builder) {
        this.pending = new PendingQueryTable(builder.maxPendingQueries);
        this.recent = new RecentQueryTable(builder.maxPendingQueries, NAT_COPY_WINDOW.toNanos());
        this.timeoutNanos = builder.queryTimeout.toNanos();
        this.domains = builder.domains != null ? builder.domains : new DomainInterner();
        this.listener = builder.listener;
    }

    /** Starts configuring a matcher that reports completed queries to {@code listener}. */
    public static Builder builder(DnsQueryListener listener) {
        return new Builder(listener);
    }

    /**
     * Takes one successfully parsed message: a query is remembered, a response completes its query.
     *
     * @param flow              addresses, ports and protocol of the packet that carried the message
     * @param message           the message, as filled by {@link DnsMessageParser} with status OK
     * @param captureTimeNanos  when the packet was captured, in nanoseconds
     */
    public DnsMatchOutcome onMessage(DnsPacketFlow flow, DnsMessage message, long captureTimeNanos) {
        return message.isResponse()
                ? onResponse(flow, message, captureTimeNanos)
                : onQuery(flow, message, captureTimeNanos);
    }

    /**
     * Reports every query at least the timeout old at {@code nowNanos} (same clock as the capture
     * timestamps) as a timeout. Queries are checked in arrival order, so a query captured with an
     * earlier timestamp than one that arrived before it may expire one call late.
     *
     * @return how many queries timed out
     */
    public int expire(long nowNanos) {
        int expired = 0;
        for (int entry = pending.oldest();
                entry != PendingQueryTable.NONE && nowNanos - pending.queryNanos(entry) >= timeoutNanos;
                entry = pending.oldest()) {
            timeouts++;
            expired++;
            complete(entry, CompletedDnsQuery.NO_RESPONSE, nowNanos);
        }
        return expired;
    }

    /** Queries awaiting a response. */
    public int pendingQueries() {
        return pending.size();
    }

    /** Responses that completed their query in time. */
    public long matchedResponses() {
        return matchedResponses;
    }

    /** Responses dropped because no query was pending for their key: never asked for, or too late. */
    public long unsolicitedResponses() {
        return unsolicitedResponses;
    }

    /** Responses dropped because their question (name or type) differs from their pending query's. */
    public long mismatchedResponses() {
        return mismatchedResponses;
    }

    /** Queries reported as timeouts, by {@link #expire} or because their response came too late. */
    public long timeouts() {
        return timeouts;
    }

    /** Queries ignored because the same key was already pending (client retransmissions). */
    public long duplicateQueries() {
        return duplicateQueries;
    }

    /** Queries dropped because the pending-query limit was reached. */
    public long queriesDroppedAtCapacity() {
        return queriesDroppedAtCapacity;
    }

    /** Queries taken for a NAT'd copy of a query captured first from another client; not reported. */
    public long natDuplicateQueries() {
        return natDuplicateQueries;
    }

    /** Queries forgotten by the NAT-copy check inside their window; a copy of one may be counted again. */
    public long natWindowEvictions() {
        return recent.liveEvictions();
    }

    private DnsMatchOutcome onQuery(DnsPacketFlow flow, DnsMessage message, long captureTimeNanos) {
        long tag = keyTag(flow.sourcePort(), flow.destinationPort(), flow.ipProtocol(), message.id());
        if (pending.find(flow.sourceHigh(), flow.sourceLow(), flow.destinationHigh(), flow.destinationLow(), tag)
                != PendingQueryTable.NONE) {
            duplicateQueries++;
            return DnsMatchOutcome.QUERY_DUPLICATE;
        }
        if (pending.size() == pending.capacity()) {
            queriesDroppedAtCapacity++;
            return DnsMatchOutcome.QUERY_DROPPED_AT_CAPACITY;
        }
        String domain = message.questionName(domains);
        boolean natCopy = recent.isCopyFromAnotherClient(flow.destinationHigh(), flow.destinationLow(),
                questionTag(flow.destinationPort(), message.questionType(), flow.ipProtocol(), message.id()),
                domain, flow.sourceHigh(), flow.sourceLow(), flow.sourcePort(), captureTimeNanos);
        int entry = pending.insert(flow.sourceHigh(), flow.sourceLow(), flow.destinationHigh(),
                flow.destinationLow(), tag, captureTimeNanos, domain, message.questionType());
        if (natCopy) {
            pending.markNatCopy(entry);
            natDuplicateQueries++;
            return DnsMatchOutcome.QUERY_NAT_COPY;
        }
        return DnsMatchOutcome.QUERY_PENDING;
    }

    private DnsMatchOutcome onResponse(DnsPacketFlow flow, DnsMessage message, long captureTimeNanos) {
        long tag = keyTag(flow.destinationPort(), flow.sourcePort(), flow.ipProtocol(), message.id());
        int entry = pending.find(flow.destinationHigh(), flow.destinationLow(), flow.sourceHigh(),
                flow.sourceLow(), tag);
        if (entry == PendingQueryTable.NONE) {
            unsolicitedResponses++;
            return DnsMatchOutcome.RESPONSE_UNSOLICITED;
        }
        // Pending domains come from the same interner, so equal names are usually the same String.
        if (message.questionType() != pending.queryType(entry)
                || !pending.domain(entry).equals(message.questionName(domains))) {
            mismatchedResponses++;
            return DnsMatchOutcome.RESPONSE_MISMATCHED;
        }
        if (captureTimeNanos - pending.queryNanos(entry) >= timeoutNanos) {
            timeouts++;
            complete(entry, CompletedDnsQuery.NO_RESPONSE, captureTimeNanos);
            return DnsMatchOutcome.RESPONSE_AFTER_TIMEOUT;
        }
        matchedResponses++;
        complete(entry, message.responseCode(), captureTimeNanos);
        return DnsMatchOutcome.RESPONSE_MATCHED;
    }

    private void complete(int entry, int responseCode, long completionNanos) {
        long tag = pending.tag(entry);
        completed.setAddresses(pending.clientHigh(entry), pending.clientLow(entry), pending.serverHigh(entry),
                pending.serverLow(entry));
        completed.setQuery(clientPortOf(tag), ipProtocolOf(tag), transactionIdOf(tag), pending.domain(entry),
                pending.queryType(entry));
        // Capture clocks of different CPUs can disagree slightly; never report a negative latency.
        long latencyMicros = Math.max(0, completionNanos - pending.queryNanos(entry)) / 1_000;
        completed.setResult(responseCode, latencyMicros);
        boolean natCopy = pending.isNatCopy(entry);
        // Removed before the callback so that a throwing listener cannot leave the entry behind.
        pending.remove(entry);
        if (!natCopy) {
            listener.onQueryCompleted(completed);
        }
    }

    private static long keyTag(int clientPort, int serverPort, int ipProtocol, int transactionId) {
        return ((long) serverPort << 40) | ((long) clientPort << 24) | ((long) ipProtocol << 16) | transactionId;
    }

    private static long questionTag(int serverPort, int queryType, int ipProtocol, int transactionId) {
        return ((long) serverPort << 40) | ((long) queryType << 24) | ((long) ipProtocol << 16) | transactionId;
    }

    private static int clientPortOf(long tag) {
        return (int) (tag >>> 24) & 0xFFFF;
    }

    private static int ipProtocolOf(long tag) {
        return (int) (tag >>> 16) & 0xFF;
    }

    private static int transactionIdOf(long tag) {
        return (int) tag & 0xFFFF;
    }

    /** Configuration of a {@link DnsQueryMatcher}; not thread-safe. */
    public static final class Builder {
        private final DnsQueryListener listener;
        private int maxPendingQueries = DEFAULT_MAX_PENDING_QUERIES;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
        private DomainInterner domains;

        private Builder(DnsQueryListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
        }

        /** Queries awaiting a response at most; further ones are dropped and counted. Default 10,000. */
        public Builder maxPendingQueries(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxPendingQueries must be positive: " + max);
            }
            this.maxPendingQueries = max;
            return this;
        }

        /** Time without response after which a query is a timeout. Default 15 s. */
        public Builder queryTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("queryTimeout must be positive: " + timeout);
            }
            this.queryTimeout = timeout;
            return this;
        }

        /** Interner for domain names, to share with other components; a private one by default. */
        public Builder domainInterner(DomainInterner interner) {
            this.domains = Objects.requireNonNull(interner, "interner");
            return this;
        }

        public DnsQueryMatcher build() {
            return new DnsQueryMatcher(this);
        }
    }
}
