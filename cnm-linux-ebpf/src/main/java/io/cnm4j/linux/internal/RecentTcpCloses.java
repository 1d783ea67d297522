package io.cnm4j.linux.internal;

import java.util.Arrays;

/**
 * Cookies of the TCP connections whose close record user space received since the previous read
 * of {@code tcp_live}. The kernel submits a close record and then deletes the live entry; a read
 * that finds the entry after its close was applied (the read raced the delete, or the delete
 * failed because the map's bucket was busy on that CPU) would bring a closed connection back to
 * life. The read skips such entries and deletes them itself.
 *
 * <p>{@link #add} is called by the ring-buffer thread, {@link #startRead} and {@link #contains} by
 * the reader, under the backend's lock.
 */
final class RecentTcpCloses {
    /** Cookies start at 1: 0 marks a free slot. */
    private static final long FREE = 0;
    private long[] pending = new long[64];
    private int pendingCount;
    private long[] table = new long[128];
    private int mask = table.length - 1;

    /** Ring-buffer thread: a close record of this connection was received. */
    synchronized void add(long cookie) {
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        }
        pending[pendingCount++] = cookie;
    }

    /** Reader: the closes received until now are the ones {@link #contains} answers for. */
    void startRead() {
        synchronized (this) {
            int capacity = Integer.highestOneBit(Math.max(pendingCount, 32) * 4);
            if (capacity > table.length || capacity * 8 < table.length) {
                table = new long[capacity];
                mask = capacity - 1;
            } else {
                Arrays.fill(table, FREE);
            }
            for (int i = 0; i < pendingCount; i++) {
                insert(pending[i]);
            }
            pendingCount = 0;
        }
    }

    private void insert(long cookie) {
        int slot = slot(cookie);
        while (table[slot] != FREE && table[slot] != cookie) {
            slot = (slot + 1) & mask;
        }
        table[slot] = cookie;
    }

    /** Reader: true when this connection's close was received before the current read started. */
    boolean contains(long cookie) {
        for (int slot = slot(cookie); table[slot] != FREE; slot = (slot + 1) & mask) {
            if (table[slot] == cookie) {
                return true;
            }
        }
        return false;
    }

    private int slot(long cookie) {
        long mixed = cookie * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 32) & mask;
    }
}
