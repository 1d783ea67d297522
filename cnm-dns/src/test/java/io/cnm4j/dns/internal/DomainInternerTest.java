package io.cnm4j.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DomainInternerTest {
    @Test
    void sameBytesYieldTheSameStringInstance() {
        // given
        DomainInterner interner = new DomainInterner();
        byte[] buffer = "xxexample.comyy".getBytes(StandardCharsets.ISO_8859_1);

        // when
        String first = interner.intern(buffer, 2, 11);
        String second = interner.intern("example.com".getBytes(StandardCharsets.ISO_8859_1), 0, 11);

        // then
        assertThat(first).isEqualTo("example.com").isSameAs(second);
    }

    @Test
    void bytesAboveAsciiSurviveTheRoundTrip() {
        // given
        DomainInterner interner = new DomainInterner();
        byte[] name = {'a', (byte) 0xE9, '.', 'b'};

        // when
        String interned = interner.intern(name, 0, name.length);

        // then
        assertThat(interned.getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(name);
    }

    @Test
    void capacityIsRoundedUpToAPowerOfTwoSlots() {
        assertThat(new DomainInterner(1).capacity()).isEqualTo(4);
        assertThat(new DomainInterner(4).capacity()).isEqualTo(4);
        assertThat(new DomainInterner(5).capacity()).isEqualTo(8);
        assertThat(new DomainInterner().capacity()).isEqualTo(DomainInterner.DEFAULT_CAPACITY);
        assertThatThrownBy(() -> new DomainInterner(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void moreDistinctNamesThanCapacityStillInternCorrectly() {
        // given
        DomainInterner interner = new DomainInterner(8);

        // when
        for (int i = 0; i < 1000; i++) {
            byte[] name = ("host" + i + ".example").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(interner.intern(name, 0, name.length)).isEqualTo("host" + i + ".example");
        }
        byte[] recent = "host999.example".getBytes(StandardCharsets.ISO_8859_1);

        // then: the most recent name is still cached
        assertThat(interner.intern(recent, 0, recent.length)).isSameAs(interner.intern(recent, 0, recent.length));
    }
}
