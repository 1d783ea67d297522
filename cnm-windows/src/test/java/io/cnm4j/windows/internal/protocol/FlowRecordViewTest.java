package io.cnm4j.windows.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class FlowRecordViewTest {

    /** Copies golden bytes into native memory 3 bytes past an 8-byte boundary: every u64 is misaligned somewhere. */
    private static MemorySegment native3(Arena arena, byte[] bytes) {
        MemorySegment block = arena.allocate(bytes.length + 3L, 8);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, block, 3, bytes.length);
        return block.asSlice(3);
    }

    @Test
    void decodesEveryFieldOfAVersion18TcpRecordAtEachPositionOfABuffer() {
        FlowRecordFixture first = FlowRecordFixture.tcp4(1);
        FlowRecordFixture second = FlowRecordFixture.tcp4(2);
        second.connectionStatus = 5;
        second.flags = 0x210;
        FlowRecordFixture third = FlowRecordFixture.tcp4(3);
        third.connectionStatus = 3;
        byte[] golden = FlowRecordFixture.concat(DriverVersion.V18, first, second, third);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = native3(arena, golden);
            FlowRecordView view = new FlowRecordView(FlowRecordLayout.of(DriverVersion.V18));

            view.wrap(buffer, 194);
            assertThat(view.defect()).isNull();
            assertThat(view.flowHandle()).isEqualTo(0x1002);
            assertThat(view.flowCookie()).isEqualTo(0xC00C1E0002L);
            assertThat(view.processId()).isEqualTo(4242);
            assertThat(view.addressFamily()).isEqualTo(2);
            assertThat(view.protocol()).isEqualTo(6);
            assertThat(view.flags()).isEqualTo(0x210);
            assertThat(view.isClosed()).isTrue();
            assertThat(view.direction()).isEqualTo(2);
            byte[] local = new byte[16];
            byte[] remote = new byte[16];
            view.copyLocalAddress(local);
            view.copyRemoteAddress(remote);
            assertThat(local).startsWith(10, 0, 0, 5).endsWith(0, 0, 0, 0);
            assertThat(remote).startsWith(93, (byte) 184, (byte) 216, 34);
            assertThat(view.packetsOut()).isEqualTo(11);
            assertThat(view.monotonicSentBytes()).isEqualTo(1_540);
            assertThat(view.transportBytesOut()).isEqualTo(1_000);
            assertThat(view.packetsIn()).isEqualTo(12);
            assertThat(view.monotonicRecvBytes()).isEqualTo(2_680);
            assertThat(view.transportBytesIn()).isEqualTo(2_000);
            assertThat(view.timestamp()).isEqualTo(3_000_000_000L);
            assertThat(view.localPort()).isEqualTo(50_000);
            assertThat(view.remotePort()).isEqualTo(443);
            assertThat(view.classificationStatus()).isEqualTo(1);
            assertThat(view.classifyRequest()).isEqualTo(10);
            assertThat(view.classifyResponse()).isEqualTo(2);
            assertThat(view.httpUpgradeToH2Requested()).isTrue();
            assertThat(view.httpUpgradeToH2Accepted()).isFalse();
            assertThat(view.tlsVersionsOffered()).isEqualTo(7);
            assertThat(view.tlsVersionChosen()).isEqualTo(0x0304);
            assertThat(view.tlsAlpnRequested()).isEqualTo(3);
            assertThat(view.tlsAlpnChosen()).isEqualTo(1);
            assertThat(view.initialRtt()).isEqualTo(900);
            assertThat(view.smoothedRtt()).isEqualTo(1_250);
            assertThat(view.rttVariance()).isEqualTo(300);
            assertThat(view.retransmitCount()).isEqualTo(2);
            assertThat(view.connectionStatus()).isEqualTo(ConnectionStatus.ESTABLISHED_SENT_RST);
            assertThat(view.interfaceIndex()).isEqualTo(7);
            assertThat(view.tlsCipherSuite()).isEqualTo(0x1301);

            view.wrap(buffer, 0);
            assertThat(view.flowCookie()).isEqualTo(0xC00C1E0001L);
            assertThat(view.connectionStatus()).isEqualTo(ConnectionStatus.ESTABLISHED);
            assertThat(view.isClosed()).isFalse();
            view.wrap(buffer, 388);
            assertThat(view.flowCookie()).isEqualTo(0xC00C1E0003L);
            assertThat(view.connectionStatus()).isEqualTo(ConnectionStatus.ACKRST);
        }
    }

    @Test
    void decodesIpv6UdpWithWindowsFamily23AndSixteenAddressBytes() {
        byte[] golden = FlowRecordFixture.concat(DriverVersion.V18, FlowRecordFixture.tcp4(1), FlowRecordFixture.udp6(9));
        try (Arena arena = Arena.ofConfined()) {
            FlowRecordView view = new FlowRecordView(FlowRecordLayout.of(DriverVersion.V18)).wrap(native3(arena, golden), 194);
            assertThat(view.defect()).isNull();
            assertThat(view.addressFamily()).isEqualTo(23);
            assertThat(view.protocol()).isEqualTo(17);
            assertThat(view.direction()).isEqualTo(1);
            byte[] local = new byte[16];
            view.copyLocalAddress(local);
            assertThat(local).isEqualTo(FlowRecordFixture.v6(0x01));
            assertThat(view.remoteAddressByte(15)).isEqualTo(0x53);
            assertThat(view.localPort()).isEqualTo(53_000);
            assertThat(view.remotePort()).isEqualTo(53);
            assertThat(view.smoothedRtt()).isZero();
        }
    }

    @Test
    void version16HasStatusButNoCookieSoTheHandleIdentifiesTheFlow() {
        FlowRecordFixture record = FlowRecordFixture.tcp4(4);
        record.connectionStatus = 4;
        byte[] golden = FlowRecordFixture.concat(DriverVersion.V16, FlowRecordFixture.udp6(1), record);
        try (Arena arena = Arena.ofConfined()) {
            FlowRecordView view = new FlowRecordView(FlowRecordLayout.of(DriverVersion.V16)).wrap(native3(arena, golden), 180);
            assertThat(view.flowHandle()).isEqualTo(0x1004);
            assertThat(view.flowCookie()).isEqualTo(0x1004);
            assertThat(view.processId()).isEqualTo(4242);
            assertThat(view.transportBytesIn()).isEqualTo(2_000);
            assertThat(view.timestamp()).isEqualTo(3_000_000_000L);
            assertThat(view.remotePort()).isEqualTo(443);
            assertThat(view.smoothedRtt()).isEqualTo(1_250);
            assertThat(view.retransmitCount()).isEqualTo(2);
            assertThat(view.connectionStatus()).isEqualTo(ConnectionStatus.TIMEOUT);
            assertThat(view.interfaceIndex()).isZero();
            assertThat(view.tlsCipherSuite()).isZero();
        }
    }

    @Test
    void version14HasNoStatusAndRejectsNothingForIt() {
        FlowRecordFixture record = FlowRecordFixture.tcp4(5);
        record.flags = 0x220;
        byte[] golden = FlowRecordFixture.concat(DriverVersion.V14, record, record);
        try (Arena arena = Arena.ofConfined()) {
            FlowRecordView view = new FlowRecordView(FlowRecordLayout.of(DriverVersion.V14)).wrap(native3(arena, golden), 176);
            assertThat(view.defect()).isNull();
            assertThat(view.rawConnectionStatus()).isEqualTo(-1);
            assertThat(view.connectionStatus()).isEqualTo(ConnectionStatus.UNKNOWN);
            assertThat(view.flags()).isEqualTo(0x220);
            assertThat(view.retransmitCount()).isEqualTo(2);
            assertThat(view.rttVariance()).isEqualTo(300);
            assertThat(view.localPort()).isEqualTo(50_000);
        }
    }

    @Test
    void unsoundRecordsNameTheirDefect() {
        FlowRecordView view = new FlowRecordView(FlowRecordLayout.of(DriverVersion.V18));
        FlowRecordFixture family = FlowRecordFixture.tcp4(1);
        family.addressFamily = 10;
        FlowRecordFixture protocol = FlowRecordFixture.tcp4(1);
        protocol.protocol = 1;
        FlowRecordFixture status = FlowRecordFixture.tcp4(1);
        status.connectionStatus = 7;
        FlowRecordFixture pid = FlowRecordFixture.tcp4(1);
        pid.processId = 1L << 32;
        FlowRecordFixture udpStatus = FlowRecordFixture.udp6(1);
        assertThat(view.wrap(MemorySegment.ofArray(family.encode(DriverVersion.V18)), 0).defect())
                .isEqualTo(FlowRecordDefect.ADDRESS_FAMILY);
        assertThat(view.wrap(MemorySegment.ofArray(protocol.encode(DriverVersion.V18)), 0).defect())
                .isEqualTo(FlowRecordDefect.PROTOCOL);
        assertThat(view.wrap(MemorySegment.ofArray(status.encode(DriverVersion.V18)), 0).defect())
                .isEqualTo(FlowRecordDefect.CONNECTION_STATUS);
        assertThat(view.wrap(MemorySegment.ofArray(pid.encode(DriverVersion.V18)), 0).defect())
                .isEqualTo(FlowRecordDefect.PROCESS_ID);
        assertThat(view.wrap(MemorySegment.ofArray(udpStatus.encode(DriverVersion.V18)), 0).defect()).isNull();

        FlowRecordFixture v16Status = FlowRecordFixture.tcp4(1);
        v16Status.connectionStatus = 5;
        FlowRecordView v16 = new FlowRecordView(FlowRecordLayout.of(DriverVersion.V16));
        assertThat(v16.wrap(MemorySegment.ofArray(v16Status.encode(DriverVersion.V16)), 0).defect())
                .isEqualTo(FlowRecordDefect.CONNECTION_STATUS);
    }

    @Test
    void wrappingBeyondTheBufferIsRefused() {
        FlowRecordView view = new FlowRecordView(FlowRecordLayout.of(DriverVersion.V18));
        assertThatThrownBy(() -> view.wrap(MemorySegment.ofArray(new byte[300]), 194))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
