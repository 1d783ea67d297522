package io.cnm4j.dns.internal;

import io.cnm4j.core.MonitorConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns captured DNS payloads into statistics and reverse-DNS entries: parses each message, pairs
 * queries with responses ({@link DnsQueryMatcher}), aggregates completions ({@link DnsStatsKeeper}),
 * and records the addresses of successful answers ({@link ReverseDnsCache}). Only a response that
 * matches a pending query (addresses, ports, transaction id and question) fills the cache: a
 * forged answer nobody asked for cannot put a name on an address. DNS over TCP is
 * reassembled per flow direction, for a bounded number of flows.
 *
 * <p>A packet source feeds it one payload at a time with the flow that carried it and its capture
 * time, and calls {@link #expire} about once per second with the current time on the same clock.
 * Nothing is lost silently: parse errors by status, unsolicited and mismatched responses, queries dropped at the
 * pending limit, statistics dropped at their limit, evicted TCP flows are all in {@link #telemetry()}.
 *
 * <p>Concurrency: every method of this class must be called from one thread, the capture thread.
 * The keeper and the cache it exposes are thread-safe and meant to be read from other threads.
 */
public final class DnsTrafficProcessor {
    /** TCP flow directions reassembled at once by default; the least recently used is evicted beyond. */
    public static final int DEFAULT_MAX_TCP_STREAMS = 1024;
    /** A TCP flow direction without a segment for this long is forgotten by {@link #expire}. */
    public static final Duration TCP_STREAM_IDLE_TIMEOUT = Duration.ofMinutes(2);

    /** TCP header flag bits, as in the 13th byte of the TCP header. */
    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;

    private final DnsMessageParser parser = new DnsMessageParser();
    private final DnsMessage message = new DnsMessage();
    private final byte[] addressScratch = new byte[16];
    private final DomainInterner domains;
    private final DnsQueryMatcher matcher;
    private final DnsStatsKeeper keeper;
    private final ReverseDnsCache reverseCache;
    private final TcpStreamTable tcpStreams;
    private final long tcpIdleNanos;
    private final long[] parseErrorsByStatus = new long[DnsParseStatus.values().length];
    private final DnsTcpReassembler.MessageHandler tcpMessageHandler = this::onTcpMessage;

    private long messagesParsed;
    private long parseErrors;
    private long answersCached;

    // The TCP segment being reassembled, for the message handler.
    private DnsPacketFlow tcpFlow;
    private long tcpCaptureNanos;

    private DnsTrafficProcessor(Builder builder) {
        MonitorConfig config = builder.config;
        this.domains = new DomainInterner();
        this.keeper = builder.keeper != null ? builder.keeper : DnsStatsKeeper.fromConfig(config);
        this.reverseCache = builder.reverseCache != null
                ? builder.reverseCache
                : new ReverseDnsCache(config.reverseDnsCacheSize());
        this.matcher = DnsQueryMatcher.builder(keeper)
                .maxPendingQueries(config.maxPendingDnsQueries())
                .queryTimeout(config.dnsTimeout())
                .domainInterner(domains)
                .build();
        this.tcpStreams = new TcpStreamTable(builder.maxTcpStreams);
        this.tcpIdleNanos = TCP_STREAM_IDLE_TIMEOUT.toNanos();
    }

    /** Starts configuring a processor with the DNS settings of {@code config}. */
    public static Builder builder(MonitorConfig config) {
        return new Builder(config);
    }

    /** A processor with the DNS settings of {@code config} and its own keeper and cache. */
    public static DnsTrafficProcessor create(MonitorConfig config) {
        return builder(config).build();
    }

    /** The statistics of completed queries; {@link DnsStatsKeeper#drain()} may be called from any thread. */
    public DnsStatsKeeper statsKeeper() {
        return keeper;
    }

    /** Names by address from successful answers; readable from any thread. */
    public ReverseDnsCache reverseDnsCache() {
        return reverseCache;
    }

    /**
     * Takes the payload of one UDP datagram.
     *
     * @param flow             addresses and ports of the datagram; its protocol must be UDP
     * @param captureTimeNanos capture timestamp in nanoseconds, on the clock given to {@link #expire}
     * @return the parse status; anything but OK was counted and otherwise ignored
     */
    public DnsParseStatus onUdpPayload(DnsPacketFlow flow, byte[] buffer, int offset, int length,
            long captureTimeNanos) {
        if (flow.ipProtocol() != DnsPacketFlow.UDP) {
            throw new IllegalArgumentException("not a UDP flow: " + flow);
        }
        return process(flow, buffer, offset, length, captureTimeNanos);
    }

    /**
     * Takes one TCP segment of a DNS-over-TCP flow, headers already removed. Segments are put in
     * order by sequence number: a retransmitted segment is skipped, a gap (a segment missed by the
     * capture) restarts the flow's reassembly. SYN starts a flow afresh; FIN ends it after its
     * payload; RST ends both directions.
     *
     * @param sequenceNumber the segment's TCP sequence number (unsigned 32 bits)
     * @param tcpFlags       the TCP flag byte ({@link #TCP_FIN}, {@link #TCP_SYN}, {@link #TCP_RST}…)
     * @param captureTimeNanos capture timestamp in nanoseconds, on the clock given to {@link #expire}
     */
    public void onTcpSegment(DnsPacketFlow flow, int sequenceNumber, int tcpFlags, byte[] buffer, int offset,
            int length, long captureTimeNanos) {
        if (flow.ipProtocol() != DnsPacketFlow.TCP) {
            throw new IllegalArgumentException("not a TCP flow: " + flow);
        }
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if ((tcpFlags & TCP_RST) != 0) {
            tcpStreams.removeConnection(flow);
            return;
        }
        int payloadSequence = sequenceNumber;
        if ((tcpFlags & TCP_SYN) != 0) {
            // The SYN takes one sequence number; data (TCP Fast Open) starts after it.
            payloadSequence = sequenceNumber + 1;
            tcpStreams.restart(flow, payloadSequence, captureTimeNanos);
        }
        if (length > 0) {
            int from = tcpStreams.admit(flow, payloadSequence, length, captureTimeNanos);
            if (from >= 0) {
                tcpFlow = flow;
                tcpCaptureNanos = captureTimeNanos;
                tcpStreams.reassembler().accept(buffer, offset + from, length - from, tcpMessageHandler);
            }
        }
        if ((tcpFlags & TCP_FIN) != 0) {
            tcpStreams.remove(flow);
        }
    }

    /**
     * Reports queries unanswered for the DNS timeout as timeouts, forgets idle TCP flows and expired
     * reverse-DNS names. Call about once per second.
     *
     * @param nowNanos the current time, on the clock of the capture timestamps
     */
    public void expire(long nowNanos) {
        matcher.expire(nowNanos);
        tcpStreams.removeIdle(nowNanos - tcpIdleNanos);
        reverseCache.purgeExpired();
    }

    /**
     * Totals since creation of every counter, by name; gauges ({@code dns_pending_queries},
     * {@code dns_tcp_streams}, {@code dns_reverse_cache_size}) are current values.
     */
    public Map<String, Long> telemetry() {
        Map<String, Long> counters = new TreeMap<>();
        counters.put("dns_messages_parsed", messagesParsed);
        counters.put("dns_parse_errors", parseErrors);
        for (DnsParseStatus status : DnsParseStatus.values()) {
            if (status != DnsParseStatus.OK) {
                counters.put("dns_parse_errors_" + status.name().toLowerCase(Locale.ROOT),
                        parseErrorsByStatus[status.ordinal()]);
            }
        }
        counters.put("dns_pending_queries", (long) matcher.pendingQueries());
        counters.put("dns_matched_responses", matcher.matchedResponses());
        counters.put("dns_unsolicited_responses", matcher.unsolicitedResponses());
        counters.put("dns_mismatched_responses", matcher.mismatchedResponses());
        counters.put("dns_duplicate_queries", matcher.duplicateQueries());
        counters.put("dns_nat_duplicates", matcher.natDuplicateQueries());
        counters.put("dns_nat_window_evictions", matcher.natWindowEvictions());
        counters.put("dns_pending_dropped", matcher.queriesDroppedAtCapacity());
        counters.put("dns_timeouts", matcher.timeouts());
        counters.put(DnsCounters.STATS_DROPPED.name(), keeper.statsDropped());
        counters.put("dns_tcp_streams", (long) tcpStreams.size());
        counters.put("dns_tcp_streams_evicted", tcpStreams.evicted());
        counters.put("dns_tcp_stream_resets", tcpStreams.reassemblerResets());
        counters.put("dns_tcp_gaps", tcpStreams.gaps());
        counters.put("dns_tcp_retransmissions", tcpStreams.retransmissions());
        counters.put("dns_answers_cached", answersCached);
        counters.put("dns_reverse_cache_size", (long) reverseCache.size());
        counters.put("dns_reverse_cache_evictions", reverseCache.evictions());
        counters.put("dns_reverse_cache_names_dropped", reverseCache.namesDropped());
        return Collections.unmodifiableMap(counters);
    }

    private boolean onTcpMessage(byte[] buffer, int offset, int length) {
        return process(tcpFlow, buffer, offset, length, tcpCaptureNanos) == DnsParseStatus.OK;
    }

    private DnsParseStatus process(DnsPacketFlow flow, byte[] buffer, int offset, int length, long captureNanos) {
        DnsParseStatus status = parser.parse(buffer, offset, length, message);
        if (status != DnsParseStatus.OK) {
            parseErrors++;
            parseErrorsByStatus[status.ordinal()]++;
            return status;
        }
        messagesParsed++;
        DnsMatchOutcome outcome = matcher.onMessage(flow, message, captureNanos);
        // A late answer still matched its query's key and question, so it is as genuine as a timely one.
        boolean answersAQuery = outcome == DnsMatchOutcome.RESPONSE_MATCHED
                || outcome == DnsMatchOutcome.RESPONSE_AFTER_TIMEOUT;
        if (answersAQuery && message.responseCode() == 0 && message.answerAddressCount() > 0) {
            reverseCache.addAnswers(message, message.questionName(domains), addressScratch);
            answersCached += message.answerAddressCount();
        }
        return status;
    }

    /** Configuration of a {@link DnsTrafficProcessor}; not thread-safe. */
    public static final class Builder {
        private final MonitorConfig config;
        private int maxTcpStreams = DEFAULT_MAX_TCP_STREAMS;
        private DnsStatsKeeper keeper;
        private ReverseDnsCache reverseCache;

        private Builder(MonitorConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** TCP flow directions reassembled at once; default {@link #DEFAULT_MAX_TCP_STREAMS}. */
        public Builder maxTcpStreams(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTcpStreams must be positive: " + max);
            }
            this.maxTcpStreams = max;
            return this;
        }

        /** The keeper to feed instead of one built from the configuration. */
        public Builder statsKeeper(DnsStatsKeeper statsKeeper) {
            this.keeper = Objects.requireNonNull(statsKeeper, "statsKeeper");
            return this;
        }

        /** The cache to fill instead of one built from the configuration. */
        public Builder reverseDnsCache(ReverseDnsCache cache) {
            this.reverseCache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        public DnsTrafficProcessor build() {
            return new DnsTrafficProcessor(this);
        }
    }
}
