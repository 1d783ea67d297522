package io.cnm4j.core.internal;

import java.util.Arrays;

/**
 * The connections of one read: flows grouped by tuple and direction into {@link FlowAggregate}s,
 * kept in the order their first flow arrived. The table and its aggregates are reused from read to
 * read, so a read in steady state allocates nothing here. Slots are found by a keyed hash of the
 * flow's tuple ({@link TrackedFlow#aggregationHash()}), so peers chosen to collide cannot lengthen
 * the probes. Engine-confined.
 */
final class AggregateTable {
    private static final int MIN_CAPACITY = 64;

    private FlowAggregate[] slots = new FlowAggregate[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    /** The read's aggregates in arrival order; entries past {@link #count} are spares for reuse. */
    private FlowAggregate[] ordered = new FlowAggregate[MIN_CAPACITY / 2];
    private int[] orderedSlots = new int[MIN_CAPACITY / 2];
    private long[] orderedHashes = new long[MIN_CAPACITY / 2];
    private int count;

    /** Empties the table for the next read, keeping its aggregates for reuse. */
    void clear() {
        for (int i = 0; i < count; i++) {
            slots[orderedSlots[i]] = null;
        }
        count = 0;
    }

    /** The aggregate collecting {@code flow}'s tuple and direction, started empty if the read has none yet. */
    FlowAggregate aggregateFor(TrackedFlow flow, Enricher enricher) {
        long hash = flow.aggregationHash();
        int slot = (int) hash & mask;
        for (FlowAggregate existing; (existing = slots[slot]) != null; slot = (slot + 1) & mask) {
            if (existing.collects(flow)) {
                return existing;
            }
        }
        if (count == ordered.length) {
            grow();
            return aggregateFor(flow, enricher);
        }
        FlowAggregate aggregate = ordered[count];
        if (aggregate == null) {
            aggregate = new FlowAggregate();
            ordered[count] = aggregate;
        }
        aggregate.reset(flow, enricher);
        slots[slot] = aggregate;
        orderedSlots[count] = slot;
        orderedHashes[count] = hash;
        count++;
        return aggregate;
    }

    int size() {
        return count;
    }

    /** The {@code index}-th aggregate of this read, in arrival order. */
    FlowAggregate get(int index) {
        return ordered[index];
    }

    /** Doubles the table, keeping the load factor at most one half. */
    private void grow() {
        int capacity = slots.length * 2;
        slots = new FlowAggregate[capacity];
        mask = capacity - 1;
        ordered = Arrays.copyOf(ordered, capacity / 2);
        orderedSlots = Arrays.copyOf(orderedSlots, capacity / 2);
        orderedHashes = Arrays.copyOf(orderedHashes, capacity / 2);
        for (int i = 0; i < count; i++) {
            int slot = (int) orderedHashes[i] & mask;
            while (slots[slot] != null) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = ordered[i];
            orderedSlots[i] = slot;
        }
    }
}
