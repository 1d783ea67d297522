package io.cnm4j.windows.internal.protocol;

import static io.cnm4j.windows.internal.protocol.Wire.U16;
import static io.cnm4j.windows.internal.protocol.Wire.U32;
import static io.cnm4j.windows.internal.protocol.Wire.U64;
import static io.cnm4j.windows.internal.protocol.Wire.U8;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code USER_FLOW_DATA} of one driver version as a declared packed {@link StructLayout}, and the
 * byte offsets the decoder reads, derived from it. Version 0x14 and 0x16 lack {@code flowCookie}
 * (so every later field sits 8 bytes earlier); 0x14 has no {@code connectionStatus}; only 0x18 has
 * {@code interfaceIndex} and {@code tls_cipher_suite}. Absent fields have offset -1. Immutable.
 */
public final class FlowRecordLayout {
    private static final FlowRecordLayout V14 = new FlowRecordLayout(DriverVersion.V14);
    private static final FlowRecordLayout V16 = new FlowRecordLayout(DriverVersion.V16);
    private static final FlowRecordLayout V18 = new FlowRecordLayout(DriverVersion.V18);

    final DriverVersion version;
    final StructLayout layout;
    final long flowHandle;
    final long flowCookie;
    final long processId;
    final long addressFamily;
    final long protocol;
    final long flags;
    final long localAddress;
    final long remoteAddress;
    final long packetsOut;
    final long monotonicSentBytes;
    final long transportBytesOut;
    final long packetsIn;
    final long monotonicRecvBytes;
    final long transportBytesIn;
    final long timestamp;
    final long localPort;
    final long remotePort;
    final long classificationStatus;
    final long classifyRequest;
    final long classifyResponse;
    final long httpUpgradeToH2Requested;
    final long httpUpgradeToH2Accepted;
    final long tlsVersionsOffered;
    final long tlsVersionChosen;
    final long tlsAlpnRequested;
    final long tlsAlpnChosen;
    final long initialRtt;
    final long smoothedRtt;
    final long rttVariance;
    final long retransmitCount;
    final long connectionStatus;
    final long interfaceIndex;
    final long tlsCipherSuite;

    private FlowRecordLayout(DriverVersion version) {
        this.version = version;
        this.layout = declare(version);
        if (layout.byteSize() != version.flowRecordSize()) {
            throw new AssertionError("USER_FLOW_DATA " + version + " is " + layout.byteSize() + " bytes");
        }
        flowHandle = offset("flowHandle");
        flowCookie = optional("flowCookie");
        processId = offset("processId");
        addressFamily = offset("addressFamily");
        protocol = offset("protocol");
        flags = offset("flags");
        localAddress = offset("localAddress");
        remoteAddress = offset("remoteAddress");
        packetsOut = offset("packetsOut");
        monotonicSentBytes = offset("monotonicSentBytes");
        transportBytesOut = offset("transportBytesOut");
        packetsIn = offset("packetsIn");
        monotonicRecvBytes = offset("monotonicRecvBytes");
        transportBytesIn = offset("transportBytesIn");
        timestamp = offset("timestamp");
        localPort = offset("localPort");
        remotePort = offset("remotePort");
        classificationStatus = offset("classificationStatus");
        classifyRequest = offset("classifyRequest");
        classifyResponse = offset("classifyResponse");
        httpUpgradeToH2Requested = offset("httpUpgradeToH2Requested");
        httpUpgradeToH2Accepted = offset("httpUpgradeToH2Accepted");
        tlsVersionsOffered = offset("tls_versions_offered");
        tlsVersionChosen = offset("tls_version_chosen");
        tlsAlpnRequested = offset("tls_alpn_requested");
        tlsAlpnChosen = offset("tls_alpn_chosen");
        initialRtt = tcp("iRTT");
        smoothedRtt = tcp("sRTT");
        rttVariance = tcp("rttVariance");
        retransmitCount = tcp("retransmitCount");
        connectionStatus = version == DriverVersion.V14 ? -1 : tcp("connectionStatus");
        interfaceIndex = optional("interfaceIndex");
        tlsCipherSuite = optional("tls_cipher_suite");
    }

    /** The layout of a version. */
    public static FlowRecordLayout of(DriverVersion version) {
        return switch (version) {
            case V14 -> V14;
            case V16 -> V16;
            case V18 -> V18;
        };
    }

    /** The declared structure, named as in {@code ddnpmapi.h}. */
    public StructLayout layout() {
        return layout;
    }

    public DriverVersion version() {
        return version;
    }

    /** Size of one record, the stride between records in a read buffer. */
    public int size() {
        return version.flowRecordSize();
    }

    /** Offset of a named top-level field, -1 when this version lacks it. */
    public long offsetOf(String field) {
        return optional(field);
    }

    private static StructLayout declare(DriverVersion version) {
        List<MemoryLayout> tcpFields = new ArrayList<>(List.of(
                U64.withName("iRTT"), U64.withName("sRTT"), U64.withName("rttVariance"),
                U64.withName("retransmitCount")));
        if (version != DriverVersion.V14) {
            tcpFields.add(U32.withName("connectionStatus"));
        }
        MemoryLayout protocolUnion = MemoryLayout.unionLayout(
                MemoryLayout.structLayout(tcpFields.toArray(MemoryLayout[]::new)).withName("tcp"),
                MemoryLayout.structLayout(U64.withName("reserved")).withName("udp")).withName("protocol_u");
        List<MemoryLayout> fields = new ArrayList<>();
        fields.add(U64.withName("flowHandle"));
        if (version == DriverVersion.V18) {
            fields.add(U64.withName("flowCookie"));
        }
        fields.addAll(List.of(
                U64.withName("processId"), U16.withName("addressFamily"), U16.withName("protocol"),
                U32.withName("flags"),
                MemoryLayout.sequenceLayout(16, U8).withName("localAddress"),
                MemoryLayout.sequenceLayout(16, U8).withName("remoteAddress"),
                U64.withName("packetsOut"), U64.withName("monotonicSentBytes"), U64.withName("transportBytesOut"),
                U64.withName("packetsIn"), U64.withName("monotonicRecvBytes"), U64.withName("transportBytesIn"),
                U64.withName("timestamp"), U16.withName("localPort"), U16.withName("remotePort"),
                U16.withName("classificationStatus"), U16.withName("classifyRequest"),
                U16.withName("classifyResponse"), U8.withName("httpUpgradeToH2Requested"),
                U8.withName("httpUpgradeToH2Accepted"), U16.withName("tls_versions_offered"),
                U16.withName("tls_version_chosen"), U64.withName("tls_alpn_requested"),
                U64.withName("tls_alpn_chosen"), protocolUnion));
        if (version == DriverVersion.V18) {
            fields.add(U32.withName("interfaceIndex"));
            fields.add(U16.withName("tls_cipher_suite"));
        }
        return MemoryLayout.structLayout(fields.toArray(MemoryLayout[]::new)).withName("USER_FLOW_DATA");
    }

    private long offset(String field) {
        return layout.byteOffset(groupElement(field));
    }

    private long optional(String field) {
        return layout.memberLayouts().stream().anyMatch(m -> m.name().orElse("").equals(field)) ? offset(field) : -1;
    }

    private long tcp(String field) {
        return layout.byteOffset(groupElement("protocol_u"), groupElement("tcp"), groupElement(field));
    }
}
