package io.cnm4j.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReverseDnsCacheTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private ReverseDnsCache cache(int capacity) {
        return new ReverseDnsCache(capacity, Duration.ofSeconds(60), now::get);
    }

    @Test
    void namesOfAnAddressComeMostRecentlySeenFirst() throws Exception {
        // given
        ReverseDnsCache cache = cache(10);

        // when
        cache.add(ip("192.0.2.1"), "first.example", 300);
        cache.add(ip("192.0.2.1"), "second.example", 300);
        cache.add(ip("192.0.2.1"), "first.example", 300);

        // then
        assertThat(cache.namesFor(ip("192.0.2.1"))).containsExactly("first.example", "second.example");
        assertThat(cache.namesFor(ip("192.0.2.2"))).isEmpty();
    }

    @Test
    void aShortTtlIsKeptForTheMinimumRetention() throws Exception {
        // given
        ReverseDnsCache cache = cache(10);
        cache.add(ip("192.0.2.1"), "short.example", 5);

        // when
        now.addAndGet(60 * SECOND - 1);
        boolean keptJustBefore = cache.namesFor(ip("192.0.2.1")).contains("short.example");
        now.addAndGet(1);

        // then
        assertThat(keptJustBefore).isTrue();
        assertThat(cache.namesFor(ip("192.0.2.1"))).isEmpty();
    }

    @Test
    void aLongTtlIsHonoured() throws Exception {
        // given
        ReverseDnsCache cache = cache(10);
        cache.add(ip("2001:db8::1"), "long.example", 300);

        // when
        now.addAndGet(299 * SECOND);
        boolean keptAt299 = !cache.namesFor(ip("2001:db8::1")).isEmpty();
        now.addAndGet(SECOND);

        // then
        assertThat(keptAt299).isTrue();
        assertThat(cache.namesFor(ip("2001:db8::1"))).isEmpty();
    }

    @Test
    void eachNameOfAnAddressExpiresOnItsOwn() throws Exception {
        // given
        ReverseDnsCache cache = cache(10);
        cache.add(ip("192.0.2.1"), "long.example", 600);
        cache.add(ip("192.0.2.1"), "short.example", 1);

        // when
        now.addAndGet(120 * SECOND);

        // then
        assertThat(cache.namesFor(ip("192.0.2.1"))).containsExactly("long.example");
    }

    @Test
    void beyondCapacityTheAddressLeastRecentlyAddedIsEvictedAndCounted() throws Exception {
        // given
        ReverseDnsCache cache = cache(2);
        cache.add(ip("192.0.2.1"), "a.example", 300);
        cache.add(ip("192.0.2.2"), "b.example", 300);
        cache.add(ip("192.0.2.1"), "a.example", 300);

        // when
        cache.add(ip("192.0.2.3"), "c.example", 300);

        // then
        assertThat(cache.namesFor(ip("192.0.2.2"))).isEmpty();
        assertThat(cache.namesFor(ip("192.0.2.1"))).containsExactly("a.example");
        assertThat(cache.namesFor(ip("192.0.2.3"))).containsExactly("c.example");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.evictions()).isEqualTo(1);
    }

    @Test
    void anAddressKeepsOnlyItsMostRecentNames() throws Exception {
        // given
        ReverseDnsCache cache = cache(10);

        // when
        for (int i = 0; i <= ReverseDnsCache.MAX_NAMES_PER_ADDRESS; i++) {
            cache.add(ip("192.0.2.1"), "n" + i + ".example", 300);
        }

        // then
        assertThat(cache.namesFor(ip("192.0.2.1")))
                .hasSize(ReverseDnsCache.MAX_NAMES_PER_ADDRESS)
                .startsWith("n16.example")
                .doesNotContain("n0.example");
        assertThat(cache.namesDropped()).isEqualTo(1);
    }

    @Test
    void purgeRemovesAddressesWhoseNamesAllExpired() throws Exception {
        // given
        ReverseDnsCache cache = cache(10);
        cache.add(ip("192.0.2.1"), "gone.example", 10);
        cache.add(ip("192.0.2.2"), "stays.example", 3600);
        now.addAndGet(61 * SECOND);

        // when
        int removed = cache.purgeExpired();

        // then
        assertThat(removed).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.namesFor(ip("192.0.2.2"))).containsExactly("stays.example");
    }

    @Test
    void capacityZeroKeepsNothing() throws Exception {
        // given
        ReverseDnsCache cache = cache(0);

        // when
        cache.add(ip("192.0.2.1"), "a.example", 300);

        // then
        assertThat(cache.namesFor(ip("192.0.2.1"))).isEmpty();
        assertThat(cache.size()).isZero();
        assertThat(cache.evictions()).isZero();
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
