package io.cnm4j.core.internal;

import io.cnm4j.core.spi.ConnectionEvent;
import java.util.function.Consumer;

/**
 * The live flows of the engine, found by the backend's flow id and confirmed by their full identity
 * ({@link TrackedFlow#isSameFlow}). An id is a hash for UDP peers: two flows may share one, by chance
 * or because a sender chose its peer to hit another flow's id. Such flows are chained behind the
 * first one with that id and stay separate, so an event is never absorbed into a flow it does not
 * describe. Chains are normally one flow long: backends derive ids with a secret key
 * ({@link KeyedHash}).
 *
 * <p>Not thread-safe: confined to the engine.
 */
final class LiveFlowTable {
    private final LongObjectMap<TrackedFlow> byId;
    private int size;
    private long idCollisions;

    LiveFlowTable(int expectedSize) {
        this.byId = new LongObjectMap<>(expectedSize);
    }

    /** The live flow the event describes, or null. */
    TrackedFlow find(ConnectionEvent event) {
        for (TrackedFlow flow = byId.get(event.flowId()); flow != null; flow = flow.sameId) {
            if (flow.isSameFlow(event)) {
                return flow;
            }
        }
        return null;
    }

    /** Adds a flow that {@link #find} did not find. */
    void add(TrackedFlow flow) {
        TrackedFlow first = byId.get(flow.flowId);
        if (first == null) {
            byId.put(flow.flowId, flow);
        } else {
            idCollisions++;
            flow.sameId = first.sameId;
            first.sameId = flow;
        }
        size++;
    }

    /** Removes a flow held by this table. */
    void remove(TrackedFlow flow) {
        TrackedFlow first = byId.get(flow.flowId);
        if (first == flow) {
            if (flow.sameId == null) {
                byId.remove(flow.flowId);
            } else {
                byId.put(flow.flowId, flow.sameId);
            }
        } else {
            TrackedFlow before = first;
            while (before.sameId != flow) {
                before = before.sameId;
            }
            before.sameId = flow.sameId;
        }
        flow.sameId = null;
        size--;
    }

    /** Calls the action for every live flow; the action must not add or remove flows. */
    void forEach(Consumer<TrackedFlow> action) {
        byId.forEachValue(first -> {
            for (TrackedFlow flow = first; flow != null; flow = flow.sameId) {
                action.accept(flow);
            }
        });
    }

    /** Live flows held. */
    int size() {
        return size;
    }

    /** Flows added while another live flow had the same id; a total. */
    long idCollisions() {
        return idCollisions;
    }
}
