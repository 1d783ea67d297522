package io.cnm4j.dns.internal;

import io.cnm4j.core.TelemetryCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The telemetry counters of DNS monitoring, declared once with their kind and meaning: those of
 * {@link DnsTrafficProcessor} and those every packet capture feeding it reports (the Linux packet
 * socket and the Windows driver share these names).
 */
public final class DnsCounters {
    /** Statistics keys an interval could not hold. */
    public static final TelemetryCounter STATS_DROPPED = TelemetryCounter.loss("dns_stats_dropped",
            "DNS statistics keys dropped because an interval already held max_dns_stats keys");

    /** Every counter {@link DnsTrafficProcessor#telemetry()} reports. */
    public static final List<TelemetryCounter> PROCESSOR = processor();

    /** The packet counters of a capture, before its packets reach the processor. */
    public static final List<TelemetryCounter> CAPTURE = List.of(
            TelemetryCounter.activity("dns_packets_received", "packets the capture read"),
            TelemetryCounter.activity("dns_packets_not_dns", "packets read that were not DNS on a DNS port"),
            TelemetryCounter.activity("dns_packets_local_ignored",
                    "packets to or from a resolver on loopback, ignored unless dns_collect_local"),
            TelemetryCounter.loss("dns_packets_fragmented", "IP fragments of DNS packets, not reassembled"),
            TelemetryCounter.loss("dns_packets_truncated", "DNS packets cut short by the capture"),
            TelemetryCounter.loss("dns_packets_malformed", "DNS packets whose IP or transport header is malformed"),
            TelemetryCounter.health("dns_capture_errors",
                    "exceptions in the DNS capture (cnm4j-dns-capture or cnm4j-windows-dns), each logged"));

    private DnsCounters() {
    }

    private static List<TelemetryCounter> processor() {
        List<TelemetryCounter> counters = new ArrayList<>(List.of(
                TelemetryCounter.activity("dns_messages_parsed", "DNS messages parsed"),
                TelemetryCounter.loss("dns_parse_errors", "DNS messages rejected by the parser, all reasons")));
        for (DnsParseStatus status : DnsParseStatus.values()) {
            if (status != DnsParseStatus.OK) {
                String reason = status.name().toLowerCase(Locale.ROOT);
                counters.add(TelemetryCounter.health("dns_parse_errors_" + reason, "DNS messages rejected as "
                        + reason.replace('_', ' ') + " (a part of dns_parse_errors)"));
            }
        }
        counters.addAll(List.of(
                TelemetryCounter.gauge("dns_pending_queries", "queries awaiting a response now"),
                TelemetryCounter.activity("dns_matched_responses", "responses matched to their query"),
                TelemetryCounter.loss("dns_unsolicited_responses", "responses without a pending query"),
                TelemetryCounter.loss("dns_mismatched_responses",
                        "responses whose question differs from the pending query's"),
                TelemetryCounter.health("dns_duplicate_queries", "queries ignored because the same query was already pending (client retransmissions)"),
                TelemetryCounter.loss("dns_pending_dropped",
                        "queries not tracked because max_pending_dns_queries were pending"),
                TelemetryCounter.activity("dns_nat_duplicates",
                        "queries taken for a NAT'd copy of one captured first from another client: matched, not counted"),
                TelemetryCounter.loss("dns_nat_window_evictions",
                        "queries the NAT-copy check forgot within their 2 s window: a copy of one may count again"),
                TelemetryCounter.activity("dns_timeouts", "queries unanswered within dns_timeout"),
                STATS_DROPPED,
                TelemetryCounter.gauge("dns_tcp_streams", "DNS-over-TCP streams being reassembled now"),
                TelemetryCounter.loss("dns_tcp_streams_evicted", "DNS-over-TCP streams evicted while incomplete"),
                TelemetryCounter.health("dns_tcp_stream_resets", "DNS-over-TCP reassemblies restarted"),
                TelemetryCounter.loss("dns_tcp_gaps", "DNS-over-TCP segments missing, losing their messages"),
                TelemetryCounter.activity("dns_tcp_retransmissions", "DNS-over-TCP segments seen again"),
                TelemetryCounter.activity("dns_answers_cached", "addresses of DNS answers put in the reverse cache"),
                TelemetryCounter.gauge("dns_reverse_cache_size", "addresses in the reverse DNS cache now"),
                TelemetryCounter.health("dns_reverse_cache_evictions",
                        "addresses evicted from the full reverse DNS cache"),
                TelemetryCounter.loss("dns_reverse_cache_names_dropped",
                        "names not kept for an address that already had its maximum")));
        return List.copyOf(counters);
    }
}
