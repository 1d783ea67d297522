package io.cnm4j.windows.internal.protocol;

import static io.cnm4j.windows.internal.protocol.Wire.U64;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the driver's {@code STATS} block (GETSTATS) into telemetry counters named
 * {@code driver_<field>}. The two flow-table limits the driver drops flows at are loss, and are
 * exported under names ending in {@code _dropped}, declared as loss in {@code WindowsCounters};
 * so is the transport's {@code read_packets_skipped} (DNS packets lost for lack of pending reads).
 */
public final class DriverStats {
    /** {@code num_flow_alloc_skipped_max_open_exceeded}: flows never tracked, open table full. */
    public static final String OPEN_FLOWS_DROPPED = "driver_open_flows_dropped";
    /** {@code num_flow_closed_dropped_max_exceeded}: closed flows lost, closed table full. */
    public static final String CLOSED_FLOWS_DROPPED = "driver_closed_flows_dropped";
    /** {@code read_packets_skipped}: captured packets lost for lack of a pending read. */
    public static final String PACKETS_SKIPPED_DROPPED = "driver_read_packets_dropped";

    private static final List<String> FLOW_FIELDS_V14 = List.of(
            "num_flow_collisions", "num_flow_alloc_skipped_max_open_exceeded", "num_flow_closed_dropped_max_exceeded",
            "num_flow_structures", "peak_num_flow_structures", "num_flow_closed_structures",
            "peak_num_flow_closed_structures", "open_table_adds", "open_table_removes", "closed_table_adds",
            "closed_table_removes", "num_flows_no_handle", "peak_num_flows_no_handle",
            "num_flows_missed_max_no_handle_exceeded", "num_packets_after_flow_closed", "classify_with_no_direction",
            "classify_multiple_request", "classify_multiple_response", "classify_response_no_request");
    private static final List<String> FLOW_FIELDS_V18_EXTRA = List.of(
            "no_state_at_ale_auth_connect", "no_state_at_ale_auth_recv", "no_state_at_ale_flow_established",
            "no_state_at_ale_endpoint_closure", "no_state_at_inbound_transport", "no_state_at_outbound_transport");
    private static final List<String> TRANSPORT_FIELDS = List.of(
            "read_packets_skipped", "read_calls_requested", "read_calls_completed", "read_calls_cancelled");
    private static final List<String> HTTP_FIELDS_V14 = List.of(
            "txns_captured", "txns_skipped_max_exceeded", "ndis_buffer_non_contiguous", "flows_ignored_as_etw");
    private static final List<String> HTTP_FIELDS_V18_EXTRA = List.of("txn_zero_latency", "txn_batched_on_read");

    private DriverStats() {
    }

    /** The flow fields of a version, in structure order. */
    public static List<String> flowFields(DriverVersion version) {
        return version == DriverVersion.V18 ? concat(FLOW_FIELDS_V14, FLOW_FIELDS_V18_EXTRA) : FLOW_FIELDS_V14;
    }

    /** The transport (packet capture) fields, in structure order. */
    public static List<String> transportFields() {
        return TRANSPORT_FIELDS;
    }

    /** The HTTP fields of a version, in structure order. */
    public static List<String> httpFields(DriverVersion version) {
        return version == DriverVersion.V18 ? concat(HTTP_FIELDS_V14, HTTP_FIELDS_V18_EXTRA) : HTTP_FIELDS_V14;
    }

    /** Offset of the transport group: after the flow group's 8-byte counters. */
    public static int transportOffset(DriverVersion version) {
        return flowFields(version).size() * 8;
    }

    /**
     * Decodes the flow group (flow handle) or the transport group (data handle) of a STATS block.
     *
     * @param stats the GETSTATS output, at least {@link DriverVersion#statsSize()} bytes
     * @param transport true for the transport group, false for the flow group
     * @throws IllegalArgumentException when the block is shorter than the version's STATS
     */
    public static Map<String, Long> decode(DriverVersion version, MemorySegment stats, long bytesReturned,
            boolean transport) {
        if (bytesReturned < version.statsSize() || stats.byteSize() < version.statsSize()) {
            throw new IllegalArgumentException("STATS of version 0x" + Integer.toHexString(version.number())
                    + " needs " + version.statsSize() + " bytes, got " + bytesReturned);
        }
        List<String> fields = transport ? TRANSPORT_FIELDS : flowFields(version);
        long start = transport ? transportOffset(version) : 0;
        Map<String, Long> counters = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            counters.put(counterName(fields.get(i)), stats.get(U64, start + 8L * i));
        }
        return Collections.unmodifiableMap(counters);
    }

    /** The telemetry name of a STATS field. */
    public static String counterName(String field) {
        return switch (field) {
            case "num_flow_alloc_skipped_max_open_exceeded" -> OPEN_FLOWS_DROPPED;
            case "num_flow_closed_dropped_max_exceeded" -> CLOSED_FLOWS_DROPPED;
            case "read_packets_skipped" -> PACKETS_SKIPPED_DROPPED;
            default -> "driver_" + field;
        };
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
