package io.cnm4j.core.internal;

import java.util.Arrays;

/**
 * Numbers for flows that clients keep counters of ({@link SeenTable}): a slot is taken when a flow
 * goes live and given back once no client can still ask about it, then reused, so slot numbers stay
 * below the most flows held at once. Engine-confined.
 */
final class FlowSlots {
    private int[] free = new int[64];
    private int freeCount;
    private int taken;

    int take() {
        return freeCount > 0 ? free[--freeCount] : taken++;
    }

    void release(int slot) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = slot;
    }
}
