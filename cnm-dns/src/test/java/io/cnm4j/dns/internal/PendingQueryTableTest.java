package io.cnm4j.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PendingQueryTableTest {
    private record Key(long clientHigh, long clientLow, long serverHigh, long serverLow, long tag) {
    }

    @Test
    void insertedEntryIsFoundWithItsValuesUntilRemoved() {
        // given
        PendingQueryTable table = new PendingQueryTable(4);

        // when
        int entry = table.insert(1, 2, 3, 4, 5, 1_000L, "example.com", 28);

        // then
        assertThat(table.find(1, 2, 3, 4, 5)).isEqualTo(entry);
        assertThat(table.find(1, 2, 3, 4, 6)).isEqualTo(PendingQueryTable.NONE);
        assertThat(table.queryNanos(entry)).isEqualTo(1_000L);
        assertThat(table.domain(entry)).isEqualTo("example.com");
        assertThat(table.queryType(entry)).isEqualTo(28);
        table.remove(entry);
        assertThat(table.find(1, 2, 3, 4, 5)).isEqualTo(PendingQueryTable.NONE);
        assertThat(table.size()).isZero();
    }

    @Test
    void fullTableRefusesInsertion() {
        // given
        PendingQueryTable table = new PendingQueryTable(2);
        table.insert(0, 0, 0, 0, 1, 0, "a", 1);
        table.insert(0, 0, 0, 0, 2, 0, "b", 1);

        // when
        int refused = table.insert(0, 0, 0, 0, 3, 0, "c", 1);

        // then
        assertThat(refused).isEqualTo(PendingQueryTable.NONE);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void randomInsertsAndRemovalsAgreeWithAReferenceMapAndKeepArrivalOrder() {
        // given: a small table with few distinct keys, so probe runs collide and wrap around
        SplittableRandom random = new SplittableRandom(42);
        PendingQueryTable table = new PendingQueryTable(64);
        Map<Key, Long> reference = new LinkedHashMap<>();
        long clock = 0;

        // when / then
        for (int step = 0; step < 200_000; step++) {
            Key key = new Key(random.nextInt(3), random.nextInt(4), 7, random.nextInt(2), random.nextInt(40));
            int found = table.find(key.clientHigh(), key.clientLow(), key.serverHigh(), key.serverLow(), key.tag());
            assertThat(found != PendingQueryTable.NONE).isEqualTo(reference.containsKey(key));
            if (found != PendingQueryTable.NONE) {
                assertThat(table.queryNanos(found)).isEqualTo(reference.get(key));
                table.remove(found);
                reference.remove(key);
            } else if (reference.size() < 64) {
                table.insert(key.clientHigh(), key.clientLow(), key.serverHigh(), key.serverLow(), key.tag(),
                        ++clock, "d", 1);
                reference.put(key, clock);
            }
            if (step % 50 == 0) {
                assertThat(table.size()).isEqualTo(reference.size());
                assertThat(arrivalOrder(table)).isEqualTo(new ArrayList<>(reference.values()));
            }
        }
    }

    private static List<Long> arrivalOrder(PendingQueryTable table) {
        // The table exposes only its oldest entry, so read the order by draining it and refilling it.
        List<Long> order = new ArrayList<>();
        List<long[]> drained = new ArrayList<>();
        for (int entry = table.oldest(); entry != PendingQueryTable.NONE; entry = table.oldest()) {
            order.add(table.queryNanos(entry));
            drained.add(new long[] {table.clientHigh(entry), table.clientLow(entry), table.serverHigh(entry),
                    table.serverLow(entry), table.tag(entry), table.queryNanos(entry)});
            table.remove(entry);
        }
        for (long[] e : drained) {
            table.insert(e[0], e[1], e[2], e[3], e[4], e[5], "d", 1);
        }
        return order;
    }
}
