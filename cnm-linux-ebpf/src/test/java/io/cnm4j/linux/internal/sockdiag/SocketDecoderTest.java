package io.cnm4j.linux.internal.sockdiag;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.Family;
import io.cnm4j.core.spi.ConnectionEvent;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** inet_diag_msg and tcp_info written field by field at the layout's offsets, decoded in place. */
class SocketDecoderTest {
    private static final long INFO = 128;
    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int INFO_BYTES = (int) InetDiag.TCP_INFO.byteSize();

    private final MemorySegment memory = MemorySegment.ofArray(new byte[512]);
    private final ConnectionEvent event = new ConnectionEvent();

    @Test
    void anIpv4SocketWithTcpInfoDecodesExactly() {
        message(SocketDecoder.AF_INET, 1, new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2}, 40_000, 443);
        tcpInfo(300_042, 42, 300_000, 20, 19, 3, 115, 170);

        assertThat(SocketDecoder.decode(memory, 0, INFO, INFO_BYTES, event)).isTrue();

        assertThat(event.family()).isEqualTo(Family.V4);
        assertThat(Arrays.copyOf(event.localAddress(), 4)).containsExactly(10, 0, 0, 1);
        assertThat(Arrays.copyOf(event.remoteAddress(), 4)).containsExactly(10, 0, 0, 2);
        assertThat(event.localPort()).isEqualTo(40_000);
        assertThat(event.remotePort()).isEqualTo(443);
        assertThat(event.cookie()).isEqualTo(0x0000_0002_0000_0001L);
        assertThat(event.bytesSent()).as("bytes_sent - bytes_retrans").isEqualTo(300_000);
        assertThat(event.bytesReceived()).isEqualTo(300_000);
        assertThat(event.packetsSent()).isEqualTo(20);
        assertThat(event.packetsReceived()).isEqualTo(19);
        assertThat(event.retransmits()).isEqualTo(3);
        assertThat(event.rttMicros()).isEqualTo(115);
        assertThat(event.rttVarMicros()).isEqualTo(170);
    }

    @Test
    void aDualStackSocketTalkingIpv4IsReportedAsIpv4() {
        byte[] local = mapped(127, 0, 0, 1);
        byte[] remote = mapped(127, 0, 0, 2);
        message(SocketDecoder.AF_INET6, 1, local, remote, 1, 2);

        SocketDecoder.decode(memory, 0, -1, 0, event);

        assertThat(event.family()).isEqualTo(Family.V4);
        assertThat(Arrays.copyOf(event.remoteAddress(), 4)).containsExactly(127, 0, 0, 2);
    }

    @Test
    void thePeersFinIsNotCountedAsAByteReceived() {
        message(SocketDecoder.AF_INET, 8 /* CLOSE_WAIT */, new byte[] {1, 1, 1, 1}, new byte[] {2, 2, 2, 2}, 1, 2);
        tcpInfo(10, 0, 1_001, 1, 1, 0, 1, 1);

        SocketDecoder.decode(memory, 0, INFO, INFO_BYTES, event);

        assertThat(event.bytesReceived()).isEqualTo(1_000);
    }

    @Test
    void anotherFamilyIsRejected() {
        message(1 /* AF_UNIX */, 1, new byte[4], new byte[4], 1, 2);

        assertThat(SocketDecoder.decode(memory, 0, -1, 0, event)).isFalse();
    }

    private void message(int family, int state, byte[] source, byte[] destination, int sourcePort, int destinationPort) {
        memory.set(ValueLayout.JAVA_BYTE, InetDiag.MSG_FAMILY, (byte) family);
        memory.set(ValueLayout.JAVA_BYTE, InetDiag.MSG_STATE, (byte) state);
        memory.set(BIG_ENDIAN_SHORT, InetDiag.MSG_SPORT,
                (short) sourcePort);
        memory.set(BIG_ENDIAN_SHORT, InetDiag.MSG_DPORT,
                (short) destinationPort);
        MemorySegment.copy(source, 0, memory, ValueLayout.JAVA_BYTE, InetDiag.MSG_SRC, source.length);
        MemorySegment.copy(destination, 0, memory, ValueLayout.JAVA_BYTE, InetDiag.MSG_DST, destination.length);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, InetDiag.MSG_COOKIE, 1);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, InetDiag.MSG_COOKIE + 4, 2);
    }

    private void tcpInfo(long bytesSent, long bytesRetrans, long bytesReceived, int segsOut, int segsIn, int retrans,
            int rtt, int rttVar) {
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, INFO + InetDiag.TCPI_BYTES_SENT, bytesSent);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, INFO + InetDiag.TCPI_BYTES_RETRANS, bytesRetrans);
        memory.set(ValueLayout.JAVA_LONG_UNALIGNED, INFO + InetDiag.TCPI_BYTES_RECEIVED, bytesReceived);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, INFO + InetDiag.TCPI_SEGS_OUT, segsOut);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, INFO + InetDiag.TCPI_SEGS_IN, segsIn);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, INFO + InetDiag.TCPI_TOTAL_RETRANS, retrans);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, INFO + InetDiag.TCPI_RTT, rtt);
        memory.set(ValueLayout.JAVA_INT_UNALIGNED, INFO + InetDiag.TCPI_RTTVAR, rttVar);
    }

    private static byte[] mapped(int a, int b, int c, int d) {
        byte[] address = new byte[16];
        address[10] = (byte) 0xFF;
        address[11] = (byte) 0xFF;
        address[12] = (byte) a;
        address[13] = (byte) b;
        address[14] = (byte) c;
        address[15] = (byte) d;
        return address;
    }
}
