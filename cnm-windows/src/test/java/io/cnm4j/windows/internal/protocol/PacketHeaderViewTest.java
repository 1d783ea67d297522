package io.cnm4j.windows.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PacketHeaderViewTest {
    @Test
    void decodesTheNineFieldsInOrder() {
        ByteBuffer b = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0xddfd00000018L).putLong(72).putLong(3).putLong(0x77).putLong(1).putLong(61).putLong(2)
                .putLong(-1).putLong(1_700_000_000_123_456_789L);
        PacketHeaderView header = new PacketHeaderView().wrap(MemorySegment.ofArray(b.array()), 0);
        assertThat(header.filterVersion()).isEqualTo(0xddfd00000018L);
        assertThat(header.headerSize()).isEqualTo(72);
        assertThat(header.skippedSinceLast()).isEqualTo(3);
        assertThat(header.filterId()).isEqualTo(0x77);
        assertThat(header.direction()).isEqualTo(1);
        assertThat(header.packetSize()).isEqualTo(61);
        assertThat(header.addressFamily()).isEqualTo(2);
        assertThat(header.ownerPid()).isEqualTo(-1);
        assertThat(header.timestampEpochNanos()).isEqualTo(1_700_000_000_123_456_789L);
    }

    @Test
    void aBufferShorterThanTheHeaderIsRefused() {
        assertThatThrownBy(() -> new PacketHeaderView().wrap(MemorySegment.ofArray(new byte[71]), 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
