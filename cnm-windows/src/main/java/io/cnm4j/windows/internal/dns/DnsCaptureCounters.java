package io.cnm4j.windows.internal.dns;

import java.util.Map;

/**
 * The capture's own counters, written by the capture thread only and copied into its published
 * telemetry, declared in {@code WindowsCounters} and {@code DnsCounters}.
 */
final class DnsCaptureCounters {
    long packetsReceived;
    long badHeaders;
    long notIpv4;
    long notDns;
    long localIgnored;
    long fragments;
    long truncated;
    long malformed;
    long skippedByDriver;
    long unknownCompletions;
    long readsCancelled;
    long readErrors;
    long readsFailed;
    long statsErrors;
    long processingErrors;
    long captureErrors;

    void putInto(Map<String, Long> target) {
        target.put("dns_packets_received", packetsReceived);
        target.put("dns_bad_headers_dropped", badHeaders);
        target.put("dns_packets_not_ipv4", notIpv4);
        target.put("dns_packets_not_dns", notDns);
        target.put("dns_packets_local_ignored", localIgnored);
        target.put("dns_packets_fragmented", fragments);
        target.put("dns_packets_truncated", truncated);
        target.put("dns_packets_malformed", malformed);
        target.put("dns_packets_skipped_by_driver", skippedByDriver);
        target.put("dns_unknown_completions", unknownCompletions);
        target.put("dns_reads_cancelled", readsCancelled);
        target.put("dns_read_errors", readErrors);
        target.put("dns_reads_failed", readsFailed);
        target.put("dns_stats_read_errors", statsErrors);
        target.put("dns_processing_errors", processingErrors);
        target.put("dns_capture_errors", captureErrors);
    }
}
