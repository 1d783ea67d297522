package io.cnm4j.windows.internal;

import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.dns.internal.DnsCounters;
import io.cnm4j.windows.internal.protocol.FlowRecordDefect;
import java.util.ArrayList;
import java.util.List;

/**
 * The telemetry counters of the {@code windows-driver} backend, declared once with their kind
 * and meaning: cnm4j's reading of the flow tables, the driver's own STATS block
 * ({@code driver_<field>}, three of them renamed as loss) and the DNS capture.
 */
public final class WindowsCounters {
    /** The flow-table reader and the backend around it. */
    public static final List<TelemetryCounter> FLOWS = flows();

    /** The flow group of the driver's STATS block (versions 0x14 to 0x18). */
    public static final List<TelemetryCounter> DRIVER_FLOW_STATS = List.of(
            TelemetryCounter.health("driver_num_flow_collisions", "driver: flows whose key collided in its table"),
            TelemetryCounter.loss("driver_open_flows_dropped", "driver: flows never tracked, its open table full"),
            TelemetryCounter.loss("driver_closed_flows_dropped", "driver: closed flows lost, its closed table full"),
            TelemetryCounter.gauge("driver_num_flow_structures", "driver: open flow structures now"),
            TelemetryCounter.gauge("driver_peak_num_flow_structures", "driver: most open flow structures at once"),
            TelemetryCounter.gauge("driver_num_flow_closed_structures", "driver: closed flow structures now"),
            TelemetryCounter.gauge("driver_peak_num_flow_closed_structures",
                    "driver: most closed flow structures at once"),
            TelemetryCounter.activity("driver_open_table_adds", "driver: flows added to its open table"),
            TelemetryCounter.activity("driver_open_table_removes", "driver: flows removed from its open table"),
            TelemetryCounter.activity("driver_closed_table_adds", "driver: flows added to its closed table"),
            TelemetryCounter.activity("driver_closed_table_removes", "driver: flows removed from its closed table"),
            TelemetryCounter.gauge("driver_num_flows_no_handle", "driver: flows without a handle now"),
            TelemetryCounter.gauge("driver_peak_num_flows_no_handle", "driver: most flows without a handle at once"),
            TelemetryCounter.loss("driver_num_flows_missed_max_no_handle_exceeded",
                    "driver: flows missed because too many had no handle"),
            TelemetryCounter.health("driver_num_packets_after_flow_closed",
                    "driver: packets seen after their flow closed"),
            TelemetryCounter.health("driver_classify_with_no_direction", "driver: classifications without a direction"),
            TelemetryCounter.health("driver_classify_multiple_request", "driver: flows classified with two requests"),
            TelemetryCounter.health("driver_classify_multiple_response", "driver: flows classified with two responses"),
            TelemetryCounter.health("driver_classify_response_no_request",
                    "driver: responses classified without a request"),
            TelemetryCounter.health("driver_no_state_at_ale_auth_connect", "driver: no flow state at ALE auth connect"),
            TelemetryCounter.health("driver_no_state_at_ale_auth_recv", "driver: no flow state at ALE auth receive"),
            TelemetryCounter.health("driver_no_state_at_ale_flow_established",
                    "driver: no flow state at ALE flow established"),
            TelemetryCounter.health("driver_no_state_at_ale_endpoint_closure",
                    "driver: no flow state at ALE endpoint closure"),
            TelemetryCounter.health("driver_no_state_at_inbound_transport", "driver: no flow state at inbound transport"),
            TelemetryCounter.health("driver_no_state_at_outbound_transport",
                    "driver: no flow state at outbound transport"));

    /** The transport group of the driver's STATS block, read by the DNS capture. */
    public static final List<TelemetryCounter> DRIVER_TRANSPORT_STATS = List.of(
            TelemetryCounter.loss("driver_read_packets_dropped", "driver: captured packets lost without a pending read"),
            TelemetryCounter.activity("driver_read_calls_requested", "driver: packet reads requested"),
            TelemetryCounter.activity("driver_read_calls_completed", "driver: packet reads completed"),
            TelemetryCounter.health("driver_read_calls_cancelled", "driver: packet reads cancelled"));

    /** The DNS capture, besides the counters every capture shares. */
    public static final List<TelemetryCounter> DNS_CAPTURE = List.of(
            TelemetryCounter.loss("dns_bad_headers_dropped", "DNS reads whose driver packet header is invalid"),
            TelemetryCounter.activity("dns_packets_not_ipv4", "packets read that were not IPv4 (not decoded)"),
            TelemetryCounter.loss("dns_packets_skipped_by_driver", "packets the driver skipped between two reads"),
            TelemetryCounter.health("dns_unknown_completions", "completions for no pending read"),
            TelemetryCounter.health("dns_reads_cancelled", "packet reads cancelled"),
            TelemetryCounter.health("dns_read_errors", "packet reads that completed with an error"),
            TelemetryCounter.health("dns_reads_failed", "packet reads the driver refused to queue"),
            TelemetryCounter.health("dns_stats_read_errors", "failed reads of the driver's STATS block"),
            TelemetryCounter.loss("dns_processing_errors", "packets whose processing threw, each of the first logged"));

    private WindowsCounters() {
    }

    /** Everything the {@code windows-driver} backend may report. */
    public static List<TelemetryCounter> backend() {
        List<TelemetryCounter> all = new ArrayList<>(FLOWS);
        all.addAll(DRIVER_FLOW_STATS);
        all.addAll(DRIVER_TRANSPORT_STATS);
        all.addAll(DNS_CAPTURE);
        all.addAll(DnsCounters.CAPTURE);
        all.addAll(DnsCounters.PROCESSOR);
        return List.copyOf(all);
    }

    private static List<TelemetryCounter> flows() {
        List<TelemetryCounter> counters = new ArrayList<>();
        counters.add(TelemetryCounter.activity("driver_records_read", "flow records read from the driver"));
        for (FlowRecordDefect defect : FlowRecordDefect.values()) {
            counters.add(TelemetryCounter.loss(defect.counterName(), "flow records rejected for a bad "
                    + defect.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
        }
        counters.addAll(List.of(
                TelemetryCounter.loss("driver_partial_records_dropped", "flow records cut off at a batch's end"),
                TelemetryCounter.loss("driver_oversized_batches_dropped", "flow batches whose byte count exceeds the read buffer"),
                TelemetryCounter.activity("driver_buffer_growths", "flow read buffer growths"),
                TelemetryCounter.activity("driver_buffer_shrinks", "flow read buffer shrinks"),
                TelemetryCounter.health("driver_lingering_flows_skipped",
                        "closed flows the driver still listed as open, skipped"),
                TelemetryCounter.health("driver_closed_duplicates_skipped",
                        "closed flows the driver listed again, reported once"),
                TelemetryCounter.health("driver_read_errors", "flow table reads that failed"),
                TelemetryCounter.health("driver_stats_errors", "failed reads of the driver's STATS block"),
                TelemetryCounter.activity("driver_closed_flow_wakeups", "wakeups by the driver's closed-flows event"),
                TelemetryCounter.health("driver_closed_flow_wait_failures", "failed waits on the closed-flows event")));
        return List.copyOf(counters);
    }
}
