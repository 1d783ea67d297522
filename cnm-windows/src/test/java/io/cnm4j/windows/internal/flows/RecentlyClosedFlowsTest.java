package io.cnm4j.windows.internal.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentlyClosedFlowsTest {
    @Test
    void remembersTheLastCapacityIdsAndForgetsTheOldest() {
        RecentlyClosedFlows closed = new RecentlyClosedFlows(3);
        closed.add(10);
        closed.add(0);
        closed.add(30);
        assertThat(closed.contains(10)).isTrue();
        assertThat(closed.contains(0)).isTrue();
        closed.add(40);
        assertThat(closed.contains(10)).isFalse();
        assertThat(closed.contains(0)).isTrue();
        closed.add(50);
        assertThat(closed.contains(0)).isFalse();
        assertThat(closed.contains(30)).isTrue();
        assertThat(closed.contains(40)).isTrue();
        assertThat(closed.contains(50)).isTrue();
        assertThat(closed.size()).isEqualTo(3);
    }

    @Test
    void addingAPresentIdChangesNothing() {
        RecentlyClosedFlows closed = new RecentlyClosedFlows(2);
        closed.add(1);
        closed.add(1);
        closed.add(2);
        assertThat(closed.contains(1)).isTrue();
        assertThat(closed.size()).isEqualTo(2);
    }

    @Test
    void agreesWithAReferenceFifoSetOverManyCollidingIds() {
        RecentlyClosedFlows closed = new RecentlyClosedFlows(64);
        ArrayDeque<Long> order = new ArrayDeque<>();
        Set<Long> reference = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            long id = random.nextInt(500);
            if (!reference.contains(id)) {
                if (order.size() == 64) {
                    reference.remove(order.poll());
                }
                order.add(id);
                reference.add(id);
            }
            closed.add(id);
            long probe = random.nextInt(500);
            assertThat(closed.contains(probe)).as("id %d after %d adds", probe, i).isEqualTo(reference.contains(probe));
        }
    }
}
