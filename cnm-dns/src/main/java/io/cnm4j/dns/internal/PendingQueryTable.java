package io.cnm4j.dns.internal;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fixed-capacity table of DNS queries awaiting their response, keyed by five longs (client and
 * server addresses as {@link Ipv6Bits} pairs, plus a tag packing client port, protocol and
 * transaction id), and ordered by arrival so that the oldest query is found in O(1).
 *
 * <p>Entries live in parallel primitive arrays indexed by an entry number; an open-addressing index
 * (linear probing, backward-shift deletion, load at most one half) maps keys to entry numbers; a
 * doubly linked list threads entries from oldest to newest. Nothing is allocated after
 * construction. The hash is seeded per table so that remote peers cannot aim for collisions.
 *
 * <p>Not thread-safe: owned by one {@code DnsQueryMatcher}.
 */
final class PendingQueryTable {
    /** Returned when no entry matches or the table is full. */
    public static final int NONE = -1;
    /** Largest capacity accepted; its index alone then takes 256 MiB, beyond any sensible limit. */
    public static final int MAX_CAPACITY = 1 << 24;

    private final long[] clientHigh;
    private final long[] clientLow;
    private final long[] serverHigh;
    private final long[] serverLow;
    private final long[] tag;
    private final long[] queryNanos;
    private final String[] domain;
    private final int[] queryType;
    private final boolean[] natCopy;
    private final int[] hash;
    private final int[] older;
    private final int[] newer;
    private final int[] index;
    private final int indexMask;
    private final long seed = ThreadLocalRandom.current().nextLong();

    private int oldest = NONE;
    private int newest = NONE;
    private int freeHead;
    private int size;

    /** A table for at most {@code capacity} pending queries. */
    public PendingQueryTable(int capacity) {
        if (capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 1.." + MAX_CAPACITY + ": " + capacity);
        }
        clientHigh = new long[capacity];
        clientLow = new long[capacity];
        serverHigh = new long[capacity];
        serverLow = new long[capacity];
        tag = new long[capacity];
        queryNanos = new long[capacity];
        domain = new String[capacity];
        queryType = new int[capacity];
        natCopy = new boolean[capacity];
        hash = new int[capacity];
        older = new int[capacity];
        newer = new int[capacity];
        // The free list threads unused entries through `newer`.
        for (int entry = 0; entry < capacity; entry++) {
            newer[entry] = entry + 1 < capacity ? entry + 1 : NONE;
        }
        index = new int[Integer.highestOneBit(capacity) << 2];
        Arrays.fill(index, NONE);
        indexMask = index.length - 1;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return clientHigh.length;
    }

    /** The entry holding this key, or {@link #NONE}. */
    public int find(long clientHighBits, long clientLowBits, long serverHighBits, long serverLowBits, long keyTag) {
        int h = hash(clientHighBits, clientLowBits, serverHighBits, serverLowBits, keyTag);
        for (int slot = h & indexMask; index[slot] != NONE; slot = (slot + 1) & indexMask) {
            int entry = index[slot];
            if (hash[entry] == h && tag[entry] == keyTag && clientLow[entry] == clientLowBits
                    && serverLow[entry] == serverLowBits && clientHigh[entry] == clientHighBits
                    && serverHigh[entry] == serverHighBits) {
                return entry;
            }
        }
        return NONE;
    }

    /**
     * Adds a query whose key is not yet present, as the newest entry.
     *
     * @return its entry number, or {@link #NONE} when the table is full
     */
    public int insert(long clientHighBits, long clientLowBits, long serverHighBits, long serverLowBits, long keyTag,
            long queryTimeNanos, String queryDomain, int type) {
        if (freeHead == NONE) {
            return NONE;
        }
        int entry = freeHead;
        freeHead = newer[entry];
        clientHigh[entry] = clientHighBits;
        clientLow[entry] = clientLowBits;
        serverHigh[entry] = serverHighBits;
        serverLow[entry] = serverLowBits;
        tag[entry] = keyTag;
        queryNanos[entry] = queryTimeNanos;
        domain[entry] = queryDomain;
        queryType[entry] = type;
        natCopy[entry] = false;
        int h = hash(clientHighBits, clientLowBits, serverHighBits, serverLowBits, keyTag);
        hash[entry] = h;
        int slot = h & indexMask;
        while (index[slot] != NONE) {
            slot = (slot + 1) & indexMask;
        }
        index[slot] = entry;
        older[entry] = newest;
        newer[entry] = NONE;
        if (newest != NONE) {
            newer[newest] = entry;
        } else {
            oldest = entry;
        }
        newest = entry;
        size++;
        return entry;
    }

    /** Removes an entry returned by {@link #find}, {@link #insert} or {@link #oldest}. */
    public void remove(int entry) {
        int slot = hash[entry] & indexMask;
        while (index[slot] != entry) {
            slot = (slot + 1) & indexMask;
        }
        deleteSlot(slot);
        if (older[entry] != NONE) {
            newer[older[entry]] = newer[entry];
        } else {
            oldest = newer[entry];
        }
        if (newer[entry] != NONE) {
            older[newer[entry]] = older[entry];
        } else {
            newest = older[entry];
        }
        domain[entry] = null;
        newer[entry] = freeHead;
        freeHead = entry;
        size--;
    }

    /** The entry inserted longest ago, or {@link #NONE} when empty. */
    public int oldest() {
        return oldest;
    }

    public long clientHigh(int entry) {
        return clientHigh[entry];
    }

    public long clientLow(int entry) {
        return clientLow[entry];
    }

    public long serverHigh(int entry) {
        return serverHigh[entry];
    }

    public long serverLow(int entry) {
        return serverLow[entry];
    }

    public long tag(int entry) {
        return tag[entry];
    }

    public long queryNanos(int entry) {
        return queryNanos[entry];
    }

    public String domain(int entry) {
        return domain[entry];
    }

    public int queryType(int entry) {
        return queryType[entry];
    }

    /** Marks an entry as a copy (after NAT) of a query first captured from another client: not to be reported. */
    public void markNatCopy(int entry) {
        natCopy[entry] = true;
    }

    /** Whether {@link #markNatCopy} was called since the entry was inserted. */
    public boolean isNatCopy(int entry) {
        return natCopy[entry];
    }

    // Backward-shift deletion: pull later members of the probe run into the hole so that no
    // tombstones are needed and lookups stay short.
    private void deleteSlot(int hole) {
        int slot = hole;
        while (true) {
            slot = (slot + 1) & indexMask;
            int entry = index[slot];
            if (entry == NONE) {
                break;
            }
            int home = hash[entry] & indexMask;
            boolean homeBetweenHoleAndSlot = hole <= slot
                    ? hole < home && home <= slot
                    : hole < home || home <= slot;
            if (!homeBetweenHoleAndSlot) {
                index[hole] = entry;
                hole = slot;
            }
        }
        index[hole] = NONE;
    }

    private int hash(long a, long b, long c, long d, long e) {
        long h = seed;
        h = mix(h ^ a);
        h = mix(h ^ b);
        h = mix(h ^ c);
        h = mix(h ^ d);
        h = mix(h ^ e);
        return (int) (h ^ (h >>> 32));
    }

    static long mix(long value) {
        // The finaliser of SplitMix64: every input bit affects every output bit.
        long z = (value ^ (value >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
