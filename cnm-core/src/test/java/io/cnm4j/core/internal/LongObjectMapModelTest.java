package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LongObjectMap} against {@link HashMap} as its model: random puts, overwrites, gets,
 * removals and bulk removals from a fixed seed, through many resizes and long probe chains.
 */
class LongObjectMapModelTest {
    private static final int OPERATIONS = 200_000;

    /** A value that remembers its key, so that the map's contents can be compared with the model's. */
    private record Entry(long key, int version) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 20261203})
    void behavesLikeAHashMap(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LongObjectMap<Entry> map = new LongObjectMap<>(4);
        Map<Long, Entry> model = new HashMap<>();
        int maxSize = 0;

        for (int i = 0; i < OPERATIONS; i++) {
            long key = nextKey(random);
            int op = random.nextInt(100);
            if (op < 45) {
                Entry value = new Entry(key, i);
                assertThat(map.put(key, value)).as("put %d at op %d", key, i).isEqualTo(model.put(key, value));
            } else if (op < 70) {
                assertThat(map.get(key)).as("get %d at op %d", key, i).isEqualTo(model.get(key));
            } else if (op < 98) {
                assertThat(map.remove(key)).as("remove %d at op %d", key, i).isEqualTo(model.remove(key));
            } else if (op < 99) {
                int modulus = 2 + random.nextInt(5);
                int removed = map.removeIf(e -> Math.floorMod(e.key(), modulus) == 0);
                int before = model.size();
                model.values().removeIf(e -> Math.floorMod(e.key(), modulus) == 0);
                assertThat(removed).as("removeIf at op %d", i).isEqualTo(before - model.size());
            } else if (random.nextInt(20) == 0) {
                map.clear();
                model.clear();
            }
            assertThat(map.size()).as("size at op %d", i).isEqualTo(model.size());
            maxSize = Math.max(maxSize, model.size());
            if (i % 1000 == 0) {
                assertSameContents(map, model);
            }
        }
        assertSameContents(map, model);
        assertThat(maxSize).as("the map grew through several resizes").isGreaterThan(500);
    }

    /** Mostly a dense range (collisions, reuse, long probe chains), some zero and negative keys, some anywhere. */
    private static long nextKey(SplittableRandom random) {
        return switch (random.nextInt(10)) {
            case 0 -> random.nextLong();
            case 1 -> -random.nextInt(64);
            case 2 -> (long) random.nextInt(64) << 40;
            default -> random.nextInt(2048);
        };
    }

    private static void assertSameContents(LongObjectMap<Entry> map, Map<Long, Entry> model) {
        List<Entry> values = new ArrayList<>();
        map.forEachValue(values::add);
        assertThat(values).containsExactlyInAnyOrderElementsOf(model.values());
        for (Map.Entry<Long, Entry> entry : model.entrySet()) {
            assertThat(map.get(entry.getKey())).isEqualTo(entry.getValue());
        }
    }
}
