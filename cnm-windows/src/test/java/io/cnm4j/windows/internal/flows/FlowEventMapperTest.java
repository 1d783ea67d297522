package io.cnm4j.windows.internal.flows;

import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.tcp4;
import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.udp6;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.FlowRecordFixture;
import io.cnm4j.windows.internal.protocol.FlowRecordLayout;
import io.cnm4j.windows.internal.protocol.FlowRecordView;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FlowEventMapperTest {
    /** Boot 1 hour before 2023-11-14T22:13:20Z; the driver's timestamps fixed to microseconds. */
    private static final long NOW = 1_700_000_000_000_000_000L;
    private static final long BOOT = NOW - 3_600_000_000_000L;

    private final FlowEventMapper payload = new FlowEventMapper(
            new DriverTimestamps(3_600_000, NOW, DriverTimestamps.Unit.MICROS_SINCE_BOOT), false);

    private static FlowRecordView view(DriverVersion version, FlowRecordFixture record) {
        return new FlowRecordView(FlowRecordLayout.of(version)).wrap(MemorySegment.ofArray(record.encode(version)), 0);
    }

    @Test
    void anOpenEstablishedTcpFlowBecomesAnUpdateWithEveryField() {
        ConnectionEvent event = payload.fill(view(DriverVersion.V18, tcp4(1)), new ConnectionEvent());
        assertThat(event.kind()).isEqualTo(ConnectionEvent.Kind.UPDATE);
        assertThat(event.flowId()).isEqualTo(0xC00C1E0001L);
        assertThat(event.cookie()).isEqualTo(0xC00C1E0001L);
        assertThat(event.family()).isEqualTo(Family.V4);
        assertThat(event.protocol()).isEqualTo(Protocol.TCP);
        assertThat(event.localAddress()).startsWith(10, 0, 0, 5);
        assertThat(event.remoteAddress()).startsWith(93, (byte) 184, (byte) 216, 34);
        assertThat(event.localPort()).isEqualTo(50_000);
        assertThat(event.remotePort()).isEqualTo(443);
        assertThat(event.pid()).isEqualTo(4242);
        assertThat(event.netns()).isZero();
        assertThat(event.direction()).isEqualTo(Direction.OUTGOING);
        assertThat(event.bytesSent()).isEqualTo(1_000);
        assertThat(event.bytesReceived()).isEqualTo(2_000);
        assertThat(event.packetsSent()).isEqualTo(11);
        assertThat(event.packetsReceived()).isEqualTo(12);
        assertThat(event.retransmits()).isEqualTo(2);
        assertThat(event.rttMicros()).isEqualTo(1_250);
        assertThat(event.rttVarMicros()).isEqualTo(300);
        assertThat(event.establishedAfterStart()).isTrue();
        assertThat(event.failureErrno()).isZero();
        assertThat(event.lastUpdateEpochNanos()).isEqualTo(BOOT + 3_000_000_000_000L);
    }

    @Test
    void monotonicBytesIncludeIpHeadersWhenAskedFor() {
        FlowEventMapper monotonic = new FlowEventMapper(new DriverTimestamps(1, NOW, null), true);
        ConnectionEvent event = monotonic.fill(view(DriverVersion.V18, tcp4(1)), new ConnectionEvent());
        assertThat(event.bytesSent()).isEqualTo(1_540);
        assertThat(event.bytesReceived()).isEqualTo(2_680);
    }

    @ParameterizedTest(name = "status {0} -> closed {1}, errno {2}, established {3}")
    @CsvSource({"0,false,0,false", "1,false,0,false", "2,false,0,true", "3,true,111,false", "4,true,110,false",
            "5,true,104,false", "6,true,104,false"})
    void connectionStatusGivesFailureEstablishedAndClosed(int status, boolean closed, int errno, boolean established) {
        FlowRecordFixture record = tcp4(1);
        record.connectionStatus = status;
        FlowRecordView view = view(DriverVersion.V18, record);
        ConnectionEvent event = payload.fill(view, new ConnectionEvent());
        assertThat(FlowEventMapper.isClosed(view)).isEqualTo(closed);
        assertThat(event.kind()).isEqualTo(closed ? ConnectionEvent.Kind.CLOSED : ConnectionEvent.Kind.UPDATE);
        assertThat(event.failureErrno()).isEqualTo(errno);
        assertThat(event.establishedAfterStart()).isEqualTo(established);
    }

    @ParameterizedTest(name = "flags 0x{0} -> {1}")
    @CsvSource({"000,OUTGOING", "100,INCOMING", "200,OUTGOING", "300,NONE"})
    void directionBitsFollowTheAgent(String flagsHex, Direction direction) {
        FlowRecordFixture record = tcp4(1);
        record.flags = Integer.parseInt(flagsHex, 16);
        assertThat(payload.fill(view(DriverVersion.V18, record), new ConnectionEvent()).direction()).isEqualTo(direction);
    }

    @Test
    void theClosedFlagClosesAnyFlow() {
        FlowRecordFixture udp = udp6(3);
        udp.flags = 0x110;
        FlowRecordView view = view(DriverVersion.V18, udp);
        ConnectionEvent event = payload.fill(view, new ConnectionEvent());
        assertThat(event.kind()).isEqualTo(ConnectionEvent.Kind.CLOSED);
        assertThat(event.family()).isEqualTo(Family.V6);
        assertThat(event.protocol()).isEqualTo(Protocol.UDP);
        assertThat(event.localAddress()).isEqualTo(FlowRecordFixture.v6(1));
        assertThat(event.direction()).isEqualTo(Direction.INCOMING);
        assertThat(event.rttMicros()).isZero();
        assertThat(event.retransmits()).isZero();
        assertThat(event.establishedAfterStart()).isFalse();
    }

    @Test
    void version14TakesEstablishedFromTheFlagAndTheHandleAsId() {
        FlowRecordFixture record = tcp4(8);
        record.flags = 0x220;
        ConnectionEvent event = payload.fill(view(DriverVersion.V14, record), new ConnectionEvent());
        assertThat(event.establishedAfterStart()).isTrue();
        assertThat(event.flowId()).isEqualTo(0x1008);
        assertThat(event.failureErrno()).isZero();
        record.flags = 0x200;
        assertThat(payload.fill(view(DriverVersion.V14, record), new ConnectionEvent()).establishedAfterStart()).isFalse();
    }

    @Test
    void fillResetsWhatAPreviousRecordLeft() {
        ConnectionEvent event = payload.fill(view(DriverVersion.V18, tcp4(1)), new ConnectionEvent());
        payload.fill(view(DriverVersion.V18, udp6(2)), event);
        assertThat(event.rttMicros()).isZero();
        assertThat(event.retransmits()).isZero();
        assertThat(event.establishedAfterStart()).isFalse();
    }
}
