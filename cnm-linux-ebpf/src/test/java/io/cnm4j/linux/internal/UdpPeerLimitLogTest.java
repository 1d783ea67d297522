package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UdpPeerLimitLogTest {
    private static String nameOf(byte[] comm) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(ConnRecordLayout.STATS_COMM_BYTES + 8);
            MemorySegment.copy(comm, 0, memory, ValueLayout.JAVA_BYTE, 8, comm.length);
            return UdpPeerLimitLog.processName(memory, 8);
        }
    }

    @Test
    void processNameStopsAtTheFirstNulAndEscapesWhatATerminalWouldInterpret() {
        byte[] hostile = "\u001b[2Jx\\y\u0007".getBytes(StandardCharsets.ISO_8859_1);
        byte[] padded = new byte[16];
        System.arraycopy("dnsmasq".getBytes(StandardCharsets.US_ASCII), 0, padded, 0, 7);

        assertThat(nameOf(hostile)).isEqualTo("\\x1b[2Jx\\x5cy\\x07");
        assertThat(nameOf(padded)).isEqualTo("dnsmasq");
        assertThat(nameOf("sixteen-chars-ab".getBytes(StandardCharsets.US_ASCII))).isEqualTo("sixteen-chars-ab");
    }
}
