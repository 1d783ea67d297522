package io.cnm4j.core.internal;

import java.util.Arrays;

/**
 * The counters of each flow that one client has already been given, by the flow's slot
 * ({@link FlowSlots}): primitive arrays rather than an object per flow, in pages so that growing
 * copies nothing and leaves at most one page unused. A slot the client has not started tracking
 * reads as all zero. Engine-confined.
 */
final class SeenTable {
    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    private static final byte TRACKED = 1;
    private static final byte ESTABLISHED = 2;

    private long[][] bytesSent = new long[0][];
    private long[][] bytesReceived = new long[0][];
    private long[][] packetsSent = new long[0][];
    private long[][] packetsReceived = new long[0][];
    private long[][] retransmits = new long[0][];
    private byte[][] states = new byte[0][];
    private int size;

    /** True when the client tracks the slot. */
    boolean has(int slot) {
        int page = slot >>> PAGE_BITS;
        return slot >= 0 && page < states.length && states[page][slot & PAGE_MASK] != 0;
    }

    /** Slots tracked. */
    int size() {
        return size;
    }

    /** Starts tracking a slot, nothing given yet. */
    void track(int slot) {
        int page = slot >>> PAGE_BITS;
        if (page >= states.length) {
            addPages(page + 1);
        }
        int i = slot & PAGE_MASK;
        bytesSent[page][i] = bytesReceived[page][i] = packetsSent[page][i] = packetsReceived[page][i] = 0;
        retransmits[page][i] = 0;
        states[page][i] = TRACKED;
        size++;
    }

    /** Stops tracking a slot, if tracked. */
    void forget(int slot) {
        if (has(slot)) {
            states[slot >>> PAGE_BITS][slot & PAGE_MASK] = 0;
            size--;
        }
    }

    /** Records that the client was given the flow's counters; its slot must be tracked. */
    void give(TrackedFlow flow) {
        int page = flow.slot >>> PAGE_BITS;
        int i = flow.slot & PAGE_MASK;
        bytesSent[page][i] = flow.bytesSent;
        bytesReceived[page][i] = flow.bytesReceived;
        packetsSent[page][i] = flow.packetsSent;
        packetsReceived[page][i] = flow.packetsReceived;
        retransmits[page][i] = flow.retransmits;
        states[page][i] = (byte) (TRACKED | (flow.tcpEstablished() != 0 ? ESTABLISHED : 0));
    }

    long bytesSent(int slot) {
        return has(slot) ? bytesSent[slot >>> PAGE_BITS][slot & PAGE_MASK] : 0;
    }

    long bytesReceived(int slot) {
        return has(slot) ? bytesReceived[slot >>> PAGE_BITS][slot & PAGE_MASK] : 0;
    }

    long packetsSent(int slot) {
        return has(slot) ? packetsSent[slot >>> PAGE_BITS][slot & PAGE_MASK] : 0;
    }

    long packetsReceived(int slot) {
        return has(slot) ? packetsReceived[slot >>> PAGE_BITS][slot & PAGE_MASK] : 0;
    }

    long retransmits(int slot) {
        return has(slot) ? retransmits[slot >>> PAGE_BITS][slot & PAGE_MASK] : 0;
    }

    long tcpEstablished(int slot) {
        return has(slot) && (states[slot >>> PAGE_BITS][slot & PAGE_MASK] & ESTABLISHED) != 0 ? 1 : 0;
    }

    /** True when the flow carries no bytes or packets this client has not been given. */
    boolean coversTraffic(TrackedFlow flow) {
        int slot = flow.slot;
        return flow.bytesSent <= bytesSent(slot) && flow.bytesReceived <= bytesReceived(slot)
                && flow.packetsSent <= packetsSent(slot) && flow.packetsReceived <= packetsReceived(slot);
    }

    /** True when no counter of the flow moved past what this client was given (a live flow's close counter is 0). */
    boolean coversAll(TrackedFlow flow) {
        return coversTraffic(flow) && flow.retransmits <= retransmits(flow.slot)
                && flow.tcpEstablished() <= tcpEstablished(flow.slot) && flow.tcpClosed() == 0;
    }

    private void addPages(int pages) {
        bytesSent = grown(bytesSent, pages);
        bytesReceived = grown(bytesReceived, pages);
        packetsSent = grown(packetsSent, pages);
        packetsReceived = grown(packetsReceived, pages);
        retransmits = grown(retransmits, pages);
        byte[][] moreStates = Arrays.copyOf(states, pages);
        for (int p = states.length; p < pages; p++) {
            moreStates[p] = new byte[PAGE_SIZE];
        }
        states = moreStates;
    }

    private static long[][] grown(long[][] pages, int count) {
        long[][] more = Arrays.copyOf(pages, count);
        for (int p = pages.length; p < count; p++) {
            more[p] = new long[PAGE_SIZE];
        }
        return more;
    }
}
