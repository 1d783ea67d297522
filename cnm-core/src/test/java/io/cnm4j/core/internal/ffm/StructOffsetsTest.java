package io.cnm4j.core.internal.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import org.junit.jupiter.api.Test;

class StructOffsetsTest {
    private static final StructLayout INNER = MemoryLayout.structLayout(
            JAVA_LONG.withName("cookie"),
            JAVA_SHORT.withName("port"),
            MemoryLayout.paddingLayout(6));
    private static final StructLayout OUTER = MemoryLayout.structLayout(
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("pad"),
            INNER.withName("key"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("name"));

    @Test
    void offsetsAndSizesFollowTheDeclaredFieldsIntoNestedStructs() {
        assertThat(StructOffsets.offset(OUTER, "kind")).isZero();
        assertThat(StructOffsets.offset(OUTER, "key")).isEqualTo(8);
        assertThat(StructOffsets.offset(OUTER, "key", "port")).isEqualTo(16);
        assertThat(StructOffsets.offset(OUTER, "name")).isEqualTo(24);
        assertThat(StructOffsets.size(OUTER, "key")).isEqualTo(16);
        assertThat(StructOffsets.size(OUTER, "name")).isEqualTo(16);
        assertThat(StructOffsets.size(OUTER)).isEqualTo(40);
    }

    @Test
    void anUnknownFieldIsRefused() {
        assertThatThrownBy(() -> StructOffsets.offset(OUTER, "missing")).isInstanceOf(IllegalArgumentException.class);
    }
}
