package io.cnm4j.dns.internal;

import io.cnm4j.dns.internal.Ipv6Bits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Remembers which queried names resolved to which address, from successful DNS answers, so that
 * connections can be labelled with the names their remote address was looked up by. A CNAME chain
 * counts for the name that was queried: {@link DnsMessage} already resolves the chain to addresses.
 *
 * <p>Each (address, name) pair expires after the answer's TTL, but never sooner than a minimum
 * retention (60 s by default): short TTLs are common, and the connection that follows a lookup
 * often outlives them. At most {@code capacity} addresses are kept; adding a new one beyond that
 * evicts the address least recently added, refreshed or looked up, and is counted in
 * {@link #evictions()}. An
 * address keeps at most {@link #MAX_NAMES_PER_ADDRESS} names, the most recent ones.
 *
 * <p>Thread-safe: written by the capture thread and read by the monitor thread, under one lock held
 * for O(names of one address) per call (O(size) for {@link #purgeExpired()}).
 */
public final class ReverseDnsCache {
    /** Shortest time a name is kept, whatever the answer's TTL, by default. */
    public static final Duration DEFAULT_MINIMUM_RETENTION = Duration.ofSeconds(60);
    /** Names kept per address; a further name replaces the least recently seen one. */
    public static final int MAX_NAMES_PER_ADDRESS = 16;
    /** TTLs above a week are read as a week (RFC 8767 §4 caps cached TTLs likewise). */
    private static final long MAX_TTL_SECONDS = 7 * 24 * 3600;

    private final Object lock = new Object();
    private final int capacity;
    private final long minimumRetentionNanos;
    private final LongSupplier nanoClock;
    // Access order: the address added or looked up longest ago is first, and evicted first.
    private final LinkedHashMap<AddressKey, Names> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Reused for lookups so that an address already cached costs no allocation; guarded by lock. */
    private final AddressKey probe = new AddressKey();
    private long evictions;
    private long namesDropped;

    /** A cache of at most {@code capacity} addresses (0 disables it) with the default minimum retention. */
    public ReverseDnsCache(int capacity) {
        this(capacity, DEFAULT_MINIMUM_RETENTION, System::nanoTime);
    }

    /**
     * @param capacity         addresses kept at most; 0 keeps nothing
     * @param minimumRetention shortest time a name is kept, even when its TTL is shorter
     * @param nanoClock        monotonic time in nanoseconds, such as {@code System::nanoTime}
     */
    public ReverseDnsCache(int capacity, Duration minimumRetention, LongSupplier nanoClock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        if (minimumRetention.isNegative()) {
            throw new IllegalArgumentException("minimumRetention must not be negative: " + minimumRetention);
        }
        this.capacity = capacity;
        this.minimumRetentionNanos = minimumRetention.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Records that {@code name} resolved to the 4- or 16-byte address at {@code address[offset]}.
     *
     * @param ttlSeconds the answer's TTL; the pair is kept at least the minimum retention
     */
    public void add(byte[] address, int offset, int length, String name, int ttlSeconds) {
        Objects.requireNonNull(name, "name");
        if (capacity == 0) {
            return;
        }
        long high = Ipv6Bits.high(address, offset, length);
        long low = Ipv6Bits.low(address, offset, length);
        long ttlNanos = Math.min(Math.max(0, ttlSeconds), MAX_TTL_SECONDS) * 1_000_000_000L;
        synchronized (lock) {
            long expiry = nanoClock.getAsLong() + Math.max(ttlNanos, minimumRetentionNanos);
            Names names = entries.get(probe.set(high, low));
            if (names == null) {
                names = new Names();
                if (entries.size() >= capacity) {
                    Iterator<Map.Entry<AddressKey, Names>> eldest = entries.entrySet().iterator();
                    eldest.next();
                    eldest.remove();
                    evictions++;
                }
                entries.put(new AddressKey().set(high, low), names);
            }
            if (names.add(name, expiry)) {
                namesDropped++;
            }
        }
    }

    /** Records that {@code name} resolved to {@code address}; convenient where allocation does not matter. */
    public void add(InetAddress address, String name, int ttlSeconds) {
        byte[] bytes = address.getAddress();
        add(bytes, 0, bytes.length, name, ttlSeconds);
    }

    /** Records every address answering the message's question under {@code name}, with its TTL. */
    public void addAnswers(DnsMessage message, String name, byte[] scratch) {
        for (int i = 0; i < message.answerAddressCount(); i++) {
            int length = message.copyAnswerAddress(i, scratch, 0);
            add(scratch, 0, length, name, message.answerTtlSeconds(i));
        }
    }

    /**
     * The unexpired names that resolved the address, most recently seen first; empty when none.
     * An IPv4-mapped IPv6 address finds the names of its IPv4 address.
     */
    public List<String> namesFor(InetAddress address) {
        byte[] bytes = address.getAddress();
        long high = Ipv6Bits.high(bytes, 0, bytes.length);
        long low = Ipv6Bits.low(bytes, 0, bytes.length);
        synchronized (lock) {
            Names names = entries.get(probe.set(high, low));
            return names == null ? List.of() : names.unexpired(nanoClock.getAsLong());
        }
    }

    /**
     * Forgets every expired name, and every address left without one.
     *
     * @return how many addresses were removed
     */
    public int purgeExpired() {
        synchronized (lock) {
            long now = nanoClock.getAsLong();
            int removed = 0;
            for (Iterator<Names> it = entries.values().iterator(); it.hasNext(); ) {
                if (it.next().removeExpired(now) == 0) {
                    it.remove();
                    removed++;
                }
            }
            return removed;
        }
    }

    /** Addresses currently held, expired ones included until purged or evicted. */
    public int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    /** Addresses evicted to make room for new ones; a total. */
    public long evictions() {
        synchronized (lock) {
            return evictions;
        }
    }

    /** Names dropped because their address already had {@link #MAX_NAMES_PER_ADDRESS} newer ones; a total. */
    public long namesDropped() {
        synchronized (lock) {
            return namesDropped;
        }
    }

    /**
     * An address as two longs; mutable only as the cache's lookup probe, never once it is a map key.
     * Comparable so that answer addresses chosen to collide share a balanced tree bin, not a list.
     */
    private static final class AddressKey implements Comparable<AddressKey> {
        private long high;
        private long low;

        AddressKey set(long newHigh, long newLow) {
            high = newHigh;
            low = newLow;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AddressKey other && high == other.high && low == other.low;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(high) * 31 + Long.hashCode(low);
        }

        @Override
        public int compareTo(AddressKey other) {
            int order = Long.compare(high, other.high);
            return order != 0 ? order : Long.compare(low, other.low);
        }
    }

    /** The names of one address, most recently seen first, each with its expiry. Guarded by the cache's lock. */
    private static final class Names {
        private final String[] names = new String[MAX_NAMES_PER_ADDRESS];
        private final long[] expiryNanos = new long[MAX_NAMES_PER_ADDRESS];
        private int count;

        /** Puts the name first with its new expiry; returns true when the least recent name had to go. */
        boolean add(String name, long expiry) {
            int existing = indexOf(name);
            boolean dropped = false;
            int shifted;
            if (existing >= 0) {
                // A refresh may shorten the expiry: the newest answer's TTL is the one that holds.
                shifted = existing;
            } else if (count < names.length) {
                shifted = count++;
            } else {
                shifted = names.length - 1;
                dropped = true;
            }
            System.arraycopy(names, 0, names, 1, shifted);
            System.arraycopy(expiryNanos, 0, expiryNanos, 1, shifted);
            names[0] = name;
            expiryNanos[0] = expiry;
            return dropped;
        }

        List<String> unexpired(long now) {
            List<String> result = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (expiryNanos[i] - now > 0) {
                    result.add(names[i]);
                }
            }
            return List.copyOf(result);
        }

        /** Removes expired names, keeping the order of the others; returns how many remain. */
        int removeExpired(long now) {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                if (expiryNanos[i] - now > 0) {
                    names[kept] = names[i];
                    expiryNanos[kept] = expiryNanos[i];
                    kept++;
                }
            }
            for (int i = kept; i < count; i++) {
                names[i] = null;
            }
            count = kept;
            return kept;
        }

        private int indexOf(String name) {
            for (int i = 0; i < count; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
