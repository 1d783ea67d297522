package io.cnm4j.windows.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FilterDefinitionTest {
    private static byte[] expected(int size, long signature, long family, long remotePort, long protocol, long direction) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, signature).putLong(8, size).putLong(16, 1).putLong(24, family)
                .putLong(120, remotePort).putLong(128, protocol).putLong(136, direction);
        return b.array();
    }

    @Test
    void declaredLayoutsMatchTheDocumentedOffsets() {
        assertThat(FilterDefinition.ADDRESS_LAYOUT.byteSize()).isEqualTo(40);
        assertThat(FilterDefinition.LAYOUT.byteSize()).isEqualTo(160);
        assertThat(FilterDefinition.offset("af")).isEqualTo(24);
        assertThat(FilterDefinition.offset("localAddress")).isEqualTo(32);
        assertThat(FilterDefinition.offset("remoteAddress")).isEqualTo(72);
        assertThat(FilterDefinition.offset("localPort")).isEqualTo(112);
        assertThat(FilterDefinition.offset("remotePort")).isEqualTo(120);
        assertThat(FilterDefinition.offset("protocol")).isEqualTo(128);
        assertThat(FilterDefinition.offset("direction")).isEqualTo(136);
        assertThat(FilterDefinition.offset("interfaceIndex")).isEqualTo(144);
        assertThat(FilterDefinition.offset("discard")).isEqualTo(152);
        assertThat(PacketHeaderView.SIZE).isEqualTo(72);
        assertThat(PacketHeaderView.offset("pktSize")).isEqualTo(40);
        assertThat(PacketHeaderView.offset("timestamp")).isEqualTo(64);
    }

    @Test
    void dnsFilterVersion18IsTheExact160Bytes() {
        MemorySegment target = MemorySegment.ofArray(new byte[200]);
        target.fill((byte) 0x5A);
        FilterDefinition.dns(FilterDefinition.OUTBOUND).encode(DriverVersion.V18, target);
        byte[] bytes = target.asSlice(0, 160).toArray(ValueLayout.JAVA_BYTE);
        assertThat(bytes).isEqualTo(expected(160, 0xddfd00000018L, 2, 53, 0, 1));
        assertThat(bytes).startsWith(0x18, 0, 0, 0, (byte) 0xfd, (byte) 0xdd, 0, 0, (byte) 0xa0);
        assertThat(target.get(ValueLayout.JAVA_BYTE, 160)).isEqualTo((byte) 0x5A);
    }

    @Test
    void flowFilterVersion14Is152BytesWithoutDiscard() {
        MemorySegment target = MemorySegment.ofArray(new byte[152]);
        FilterDefinition.flows(23, 17).encode(DriverVersion.V14, target);
        assertThat(target.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected(152, 0xddfd00000014L, 23, 0, 17, 0));
    }

    @Test
    void invalidDefinitionsAreRefused() {
        assertThatThrownBy(() -> new FilterDefinition(10, 6, 0, 0)).hasMessageContaining("family must be 2 or 23, not 10");
        assertThatThrownBy(() -> new FilterDefinition(2, 1, 0, 0)).hasMessageContaining("protocol must be 0, 6 or 17");
        assertThatThrownBy(() -> new FilterDefinition(2, 6, 70_000, 0)).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> new FilterDefinition(2, 6, 0, 2)).hasMessageContaining("direction");
        assertThatThrownBy(() -> FilterDefinition.dns(0).encode(DriverVersion.V18, MemorySegment.ofArray(new byte[152])))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
