package io.cnm4j.windows.internal.flows;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.windows.internal.protocol.ConnectionStatus;
import io.cnm4j.windows.internal.protocol.FlowRecordView;
import io.cnm4j.windows.internal.protocol.Wire;

/**
 * Fills a {@link ConnectionEvent} from a sound flow record, with the meaning Datadog's agent gives
 * each field ({@code event_windows.go}): family 23 is IPv6; ports are already in host order;
 * direction bits 1 incoming, 2 outgoing, and unknown (0) outgoing as the agent reports it; bytes
 * are payload bytes ({@code transportBytes*}) unless monotonic (IP) bytes are asked for; TCP RTT
 * and variance are {@code sRTT} and {@code rttVariance} (taken as microseconds, not verified);
 * established is {@code connectionStatus == ESTABLISHED} (the flag bit in version 0x14);
 * a failure status (refused 111, timeout 110, reset 104) always closes the flow.
 *
 * <p>Stateless apart from the timestamp converter; used under the backend's read lock.
 */
final class FlowEventMapper {
    private final DriverTimestamps timestamps;
    private final boolean monotonicBytes;

    /**
     * @param monotonicBytes report bytes including IP headers ({@code monotonic*}) instead of payload
     */
    public FlowEventMapper(DriverTimestamps timestamps, boolean monotonicBytes) {
        this.timestamps = timestamps;
        this.monotonicBytes = monotonicBytes;
    }

    /** The errno of a failed TCP flow, 0 for UDP or a flow that did not fail. */
    public static int failureErrno(FlowRecordView record) {
        return record.protocol() == Wire.IPPROTO_TCP ? record.connectionStatus().failureErrno() : 0;
    }

    /** True when the record reports its flow ended: the closed flag, or a TCP failure. */
    public static boolean isClosed(FlowRecordView record) {
        return record.isClosed() || failureErrno(record) != 0;
    }

    /** Fills every field of {@code event} (reset first) from the record. */
    public ConnectionEvent fill(FlowRecordView record, ConnectionEvent event) {
        event.reset();
        boolean tcp = record.protocol() == Wire.IPPROTO_TCP;
        event.kind(isClosed(record) ? ConnectionEvent.Kind.CLOSED : ConnectionEvent.Kind.UPDATE)
                .flowId(record.flowCookie())
                .cookie(record.flowCookie())
                .family(record.addressFamily() == Wire.AF_INET ? Family.V4 : Family.V6)
                .protocol(tcp ? Protocol.TCP : Protocol.UDP)
                .localPort(record.localPort())
                .remotePort(record.remotePort())
                .pid((int) record.processId())
                .direction(direction(record.direction()))
                .packetsSent(record.packetsOut())
                .packetsReceived(record.packetsIn())
                .bytesSent(monotonicBytes ? record.monotonicSentBytes() : record.transportBytesOut())
                .bytesReceived(monotonicBytes ? record.monotonicRecvBytes() : record.transportBytesIn())
                .lastUpdateEpochNanos(timestamps.toEpochNanos(record.timestamp()));
        record.copyLocalAddress(event.localAddress());
        record.copyRemoteAddress(event.remoteAddress());
        if (tcp) {
            event.retransmits(record.retransmitCount())
                    .rttMicros(record.smoothedRtt())
                    .rttVarMicros(record.rttVariance())
                    .establishedAfterStart(established(record))
                    .failureErrno(failureErrno(record));
        }
        return event;
    }

    private static boolean established(FlowRecordView record) {
        if (record.rawConnectionStatus() < 0) {
            return (record.flags() & FlowRecordView.FLAG_TCP_ESTABLISHED) != 0;
        }
        return record.connectionStatus() == ConnectionStatus.ESTABLISHED;
    }

    private static Direction direction(int bits) {
        return switch (bits) {
            case FlowRecordView.DIRECTION_INBOUND -> Direction.INCOMING;
            case 0, FlowRecordView.DIRECTION_OUTBOUND -> Direction.OUTGOING;
            default -> Direction.NONE;
        };
    }
}
