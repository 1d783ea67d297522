package io.cnm4j.dns.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Remembers, for a short window, which client a DNS query was first captured from, so that a second
 * capture of the same query from another client address or port can be recognised as the same
 * lookup after NAT. A container's query crosses the bridge with the container's address and leaves
 * the uplink with the host's after MASQUERADE: the server, server port, transaction id and question
 * stay the same, only the client changes.
 *
 * <p>Keyed by four longs (server address as {@link Ipv6Bits} pair, a tag packing server port,
 * query type, IP protocol and transaction id) plus the question name. Entries live in parallel
 * primitive arrays grouped into buckets of {@link #WAYS} slots (set-associative, like a CPU cache):
 * a key can only be in its bucket, so a lookup reads at most four slots and nothing is ever
 * deleted. A new key takes an empty or expired slot of its bucket, else the oldest one; taking a
 * slot still inside the window is counted in {@link #liveEvictions()}, as that query's NAT copy
 * would then be counted again. Nothing is allocated after construction; the hash is seeded per
 * table so that remote peers cannot aim for one bucket.
 *
 * <p>Not thread-safe: owned by one {@code DnsQueryMatcher}.
 */
public final class RecentQueryTable {
    /** Slots per bucket. */
    public static final int WAYS = 4;
    /** Largest number of slots accepted. */
    public static final int MAX_SLOTS = 1 << 24;

    private final long[] serverHigh;
    private final long[] serverLow;
    private final long[] tag;
    private final String[] domain;
    private final long[] clientHigh;
    private final long[] clientLow;
    private final int[] clientPort;
    private final long[] seenNanos;
    private final int[] hash;
    private final int bucketMask;
    private final long windowNanos;
    private final long seed = ThreadLocalRandom.current().nextLong();

    private long liveEvictions;

    /**
     * A table of at least {@code minSlots} slots (rounded up to a power of two, at least {@link #WAYS}).
     *
     * @param windowNanos how long after its first capture a query's copies are recognised
     */
    public RecentQueryTable(int minSlots, long windowNanos) {
        if (minSlots <= 0 || minSlots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots must be in 1.." + MAX_SLOTS + ": " + minSlots);
        }
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("window must be positive: " + windowNanos + " ns");
        }
        int slots = Math.max(WAYS, Integer.highestOneBit(minSlots - 1) << 1);
        serverHigh = new long[slots];
        serverLow = new long[slots];
        tag = new long[slots];
        domain = new String[slots];
        clientHigh = new long[slots];
        clientLow = new long[slots];
        clientPort = new int[slots];
        seenNanos = new long[slots];
        hash = new int[slots];
        bucketMask = slots / WAYS - 1;
        this.windowNanos = windowNanos;
    }

    /** Slots in the table. */
    public int slots() {
        return tag.length;
    }

    /**
     * Records a captured query, or recognises it as a copy of one already recorded.
     *
     * @param keyTag       server port, query type, IP protocol and transaction id, packed by the caller
     * @param questionName the query's name, interned, so that equal names are usually the same String
     * @return true when the same query (server, tag, name) was recorded from another client (address or
     *         port) within the window before {@code nowNanos}; the table is then unchanged. False
     *         otherwise, and the query is recorded (a repeat from the same client keeps the first record)
     */
    public boolean isCopyFromAnotherClient(long serverHighBits, long serverLowBits, long keyTag,
            String questionName, long clientHighBits, long clientLowBits, int port, long nowNanos) {
        int h = hash(serverHighBits, serverLowBits, keyTag, questionName.hashCode());
        int first = (h & bucketMask) * WAYS;
        int victim = first;
        for (int slot = first; slot < first + WAYS; slot++) {
            if (domain[slot] == null) {
                victim = slot;
                break;
            }
            if (hash[slot] == h && tag[slot] == keyTag && serverLow[slot] == serverLowBits
                    && serverHigh[slot] == serverHighBits && domain[slot].equals(questionName)) {
                if (!inWindow(slot, nowNanos)) {
                    record(slot, clientHighBits, clientLowBits, port, nowNanos);
                    return false;
                }
                return clientLow[slot] != clientLowBits || clientHigh[slot] != clientHighBits
                        || clientPort[slot] != port;
            }
            if (seenNanos[slot] - seenNanos[victim] < 0) {
                victim = slot;
            }
        }
        if (domain[victim] != null && inWindow(victim, nowNanos)) {
            liveEvictions++;
        }
        serverHigh[victim] = serverHighBits;
        serverLow[victim] = serverLowBits;
        tag[victim] = keyTag;
        domain[victim] = questionName;
        hash[victim] = h;
        record(victim, clientHighBits, clientLowBits, port, nowNanos);
        return false;
    }

    /** Queries forgotten inside their window because their bucket was full of newer ones. */
    public long liveEvictions() {
        return liveEvictions;
    }

    private boolean inWindow(int slot, long nowNanos) {
        return nowNanos - seenNanos[slot] <= windowNanos;
    }

    private void record(int slot, long clientHighBits, long clientLowBits, int port, long nowNanos) {
        clientHigh[slot] = clientHighBits;
        clientLow[slot] = clientLowBits;
        clientPort[slot] = port;
        seenNanos[slot] = nowNanos;
    }

    private int hash(long a, long b, long c, int d) {
        long h = seed;
        h = PendingQueryTable.mix(h ^ a);
        h = PendingQueryTable.mix(h ^ b);
        h = PendingQueryTable.mix(h ^ c);
        h = PendingQueryTable.mix(h ^ d);
        return (int) (h ^ (h >>> 32));
    }
}
