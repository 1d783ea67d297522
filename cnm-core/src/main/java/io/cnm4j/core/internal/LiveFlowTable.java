package io.cnm4j.core.internal;

import io.cnm4j.core.spi.ConnectionEvent;

/**
 * The live flows of the engine, found by the backend's flow id and confirmed by their full identity
 * ({@link TrackedFlow#isSameFlow}). An id is a hash for UDP peers: two flows may share one, by chance
 * or because a sender chose its peer to hit another flow's id. Such flows sit in the same probe run
 * and stay separate, so an event is never absorbed into a flow it does not describe. Runs of one id
 * are normally one flow long: backends derive ids with a secret key ({@link KeyedHash}).
 *
 * <p>Open addressing over the flows themselves (linear probing, backward-shift deletion): the id is
 * read from the flow, so the table costs one reference per slot. Not thread-safe: confined to the engine.
 */
final class LiveFlowTable {
    private static final float MAX_LOAD = 0.6f;

    private TrackedFlow[] flows;
    private int mask;
    private int size;
    private long idCollisions;

    LiveFlowTable(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(4, (int) (expectedSize / MAX_LOAD)) - 1) << 1;
        flows = new TrackedFlow[capacity];
        mask = capacity - 1;
    }

    /** The live flow the event describes, or null. */
    TrackedFlow find(ConnectionEvent event) {
        long id = event.flowId();
        for (int i = home(id); ; i = (i + 1) & mask) {
            TrackedFlow flow = flows[i];
            if (flow == null) {
                return null;
            }
            if (flow.flowId == id && flow.isSameFlow(event)) {
                return flow;
            }
        }
    }

    /** Adds a flow that {@link #find} did not find. */
    void add(TrackedFlow flow) {
        boolean sharesId = false;
        int i = home(flow.flowId);
        while (flows[i] != null) {
            sharesId |= flows[i].flowId == flow.flowId;
            i = (i + 1) & mask;
        }
        if (sharesId) {
            idCollisions++;
        }
        flows[i] = flow;
        if (++size > flows.length * MAX_LOAD) {
            grow();
        }
    }

    /** Removes a flow held by this table. */
    void remove(TrackedFlow flow) {
        int hole = home(flow.flowId);
        while (flows[hole] != flow) {
            hole = (hole + 1) & mask;
        }
        for (int i = (hole + 1) & mask; flows[i] != null; i = (i + 1) & mask) {
            int home = home(flows[i].flowId);
            // Moves back every later flow of the run whose home is not between the hole and itself.
            if (hole <= i ? home <= hole || home > i : home <= hole && home > i) {
                flows[hole] = flows[i];
                hole = i;
            }
        }
        flows[hole] = null;
        size--;
    }

    /** Slots to walk with {@link #at}: every live flow is at one index below this. */
    int capacity() {
        return flows.length;
    }

    /** The flow at {@code index}, or null; the table must not change during a walk. */
    TrackedFlow at(int index) {
        return flows[index];
    }

    /** Live flows held. */
    int size() {
        return size;
    }

    /** Flows added while another live flow had the same id; a total. */
    long idCollisions() {
        return idCollisions;
    }

    private int home(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        TrackedFlow[] old = flows;
        flows = new TrackedFlow[old.length * 2];
        mask = flows.length - 1;
        for (TrackedFlow flow : old) {
            if (flow != null) {
                int i = home(flow.flowId);
                while (flows[i] != null) {
                    i = (i + 1) & mask;
                }
                flows[i] = flow;
            }
        }
    }
}
