package io.cnm4j.windows.internal.flows;

/**
 * The ids of the last N flows reported closed, so that a flow is reported closed once even when
 * the driver shows it again: a closed flow can linger in the open table across polls (Datadog's
 * WINA-2711) and also appear in the closed table. Open addressing over a power-of-two table plus
 * a FIFO ring for eviction; nothing is allocated after construction.
 *
 * <p>Not thread-safe: used under the backend's read lock.
 */
final class RecentlyClosedFlows {
    private static final long EMPTY = 0;

    private final long[] table;
    private final int mask;
    private final long[] ring;
    private int ringNext;
    private int size;
    /** Id 0 cannot live in the table (it marks empty slots); it is remembered apart. */
    private boolean zeroPresent;

    RecentlyClosedFlows(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.ring = new long[capacity];
        int slots = Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1;
        this.table = new long[slots];
        this.mask = slots - 1;
    }

    boolean contains(long id) {
        if (id == EMPTY) {
            return zeroPresent;
        }
        for (int i = slot(id); ; i = (i + 1) & mask) {
            long entry = table[i];
            if (entry == id) {
                return true;
            }
            if (entry == EMPTY) {
                return false;
            }
        }
    }

    /** Remembers an id, forgetting the oldest when full; adding a present id changes nothing. */
    void add(long id) {
        if (contains(id)) {
            return;
        }
        if (size == ring.length) {
            remove(ring[ringNext]);
            size--;
        }
        ring[ringNext] = id;
        ringNext = (ringNext + 1) % ring.length;
        size++;
        if (id == EMPTY) {
            zeroPresent = true;
            return;
        }
        int i = slot(id);
        while (table[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        table[i] = id;
    }

    int size() {
        return size;
    }

    private void remove(long id) {
        if (id == EMPTY) {
            zeroPresent = false;
            return;
        }
        int i = slot(id);
        while (table[i] != id) {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion keeps every probe chain unbroken without tombstones.
        int hole = i;
        for (int j = (hole + 1) & mask; table[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(table[j]);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                table[hole] = table[j];
                hole = j;
            }
        }
        table[hole] = EMPTY;
    }

    private int slot(long id) {
        long mixed = id * 0x9E3779B97F4A7C15L;
        return (int) (mixed ^ (mixed >>> 32)) & mask;
    }
}
