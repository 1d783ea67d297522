package io.cnm4j.core.internal;

import java.util.Arrays;

/**
 * The connections of one read: the flows with news grouped by tuple and direction, each group
 * named by its first flow (its head), groups in the order their heads arrived. Most groups have one
 * flow; the others' further flows are kept aside, sorted by group once every flow is in. Reused from
 * read to read, so a read in steady state allocates nothing here. Groups are found by a keyed hash of
 * the flow's tuple ({@link TrackedFlow#aggregationHash()}), so peers chosen to collide cannot lengthen
 * the probes. Engine-confined.
 */
final class ReadGroups {
    private static final int MIN_CAPACITY = 64;

    private TrackedFlow[] heads = new TrackedFlow[MIN_CAPACITY / 2];
    private int count;
    /** Open addressing by hash: 1 + the index of a head, 0 when empty; at most half full. */
    private int[] index = new int[MIN_CAPACITY];
    private TrackedFlow[] extras = new TrackedFlow[8];
    /** Per further flow: its group's index in the high half, its own arrival in the low half. */
    private long[] extraOrder = new long[8];
    private int extraCount;

    /** Empties the groups for the next read. */
    void clear() {
        Arrays.fill(heads, 0, count, null);
        Arrays.fill(extras, 0, extraCount, null);
        count = 0;
        extraCount = 0;
        Arrays.fill(index, 0);
    }

    /** Adds a flow to its group, which it starts when the read has none yet. */
    void add(TrackedFlow flow) {
        int mask = index.length - 1;
        for (int slot = (int) flow.aggregationHash() & mask; ; slot = (slot + 1) & mask) {
            int entry = index[slot];
            if (entry == 0) {
                if (count == heads.length) {
                    grow();
                    add(flow);
                    return;
                }
                heads[count] = flow;
                index[slot] = ++count;
                return;
            }
            TrackedFlow head = heads[entry - 1];
            if (head.direction() == flow.direction() && head.key.equals(flow.key)) {
                addExtra(entry - 1, flow);
                return;
            }
        }
    }

    private void addExtra(int group, TrackedFlow flow) {
        if (extraCount == extras.length) {
            extras = Arrays.copyOf(extras, extraCount * 2);
            extraOrder = Arrays.copyOf(extraOrder, extraCount * 2);
        }
        extras[extraCount] = flow;
        extraOrder[extraCount] = (long) group << 32 | extraCount;
        extraCount++;
    }

    /** Orders the further flows by group (and arrival within it); call once every flow is in. */
    void seal() {
        Arrays.sort(extraOrder, 0, extraCount);
    }

    /** Groups in this read. */
    int size() {
        return count;
    }

    /** The first flow of the {@code group}-th group, in arrival order. */
    TrackedFlow head(int group) {
        return heads[group];
    }

    /** Further flows, after {@link #seal()}: all of one group together, groups in order. */
    int extraCount() {
        return extraCount;
    }

    /** The group of the {@code n}-th further flow. */
    int extraGroup(int n) {
        return (int) (extraOrder[n] >>> 32);
    }

    /** The {@code n}-th further flow. */
    TrackedFlow extra(int n) {
        return extras[(int) extraOrder[n]];
    }

    /**
     * A zeroed table of at least twice as many slots as groups, for one more lookup over the heads
     * once the groups are complete: the grouping index, which is no longer needed.
     */
    int[] reuseIndex() {
        Arrays.fill(index, 0);
        return index;
    }

    /** Doubles the groups' room, keeping the index at most half full. */
    private void grow() {
        heads = Arrays.copyOf(heads, heads.length * 2);
        index = new int[heads.length * 2];
        int mask = index.length - 1;
        for (int i = 0; i < count; i++) {
            int slot = (int) heads[i].aggregationHash() & mask;
            while (index[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            index[slot] = i + 1;
        }
    }
}
