package io.cnm4j.dns.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns domain-name bytes into Strings through a bounded cache, so that a name seen recently comes
 * back as the same String instance without allocating, and memory stays fixed however many
 * distinct names a host queries.
 *
 * <p>The cache is set-associative: a name can live in one of four slots chosen by its hash, and a
 * new name evicts the oldest of the four. Bytes map to chars one to one (ISO-8859-1), so any label
 * byte survives the round trip.
 *
 * <p>Thread-safe without locks: slots hold immutable entries, so concurrent callers can at worst
 * both miss and create equal Strings, never receive a wrong one.
 */
final class DomainInterner {
    /** Names kept by {@link #DomainInterner()}. */
    public static final int DEFAULT_CAPACITY = 16_384;

    /** Largest capacity accepted, far above any realistic count of live domains. */
    public static final int MAX_CAPACITY = 1 << 24;

    private static final int WAYS = 4;

    private final Entry[] slots;
    private final int setMask;

    /** An interner that keeps {@link #DEFAULT_CAPACITY} names. */
    public DomainInterner() {
        this(DEFAULT_CAPACITY);
    }

    /** An interner that keeps at least {@code capacity} names (rounded up to a power of two, minimum 4). */
    public DomainInterner(int capacity) {
        if (capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 1.." + MAX_CAPACITY + ": " + capacity);
        }
        int setsNeeded = (capacity + WAYS - 1) / WAYS;
        int sets = setsNeeded == 1 ? 1 : Integer.highestOneBit(setsNeeded - 1) << 1;
        this.slots = new Entry[sets * WAYS];
        this.setMask = sets - 1;
    }

    /** Names this interner can keep at once. */
    public int capacity() {
        return slots.length;
    }

    /** The String for {@code bytes[offset, offset + length)}, shared with earlier calls for the same bytes. */
    public String intern(byte[] bytes, int offset, int length) {
        int hash = hash(bytes, offset, length);
        int base = (hash & setMask) * WAYS;
        for (int way = 0; way < WAYS; way++) {
            Entry entry = slots[base + way];
            if (entry != null && entry.hash == hash
                    && Arrays.equals(entry.bytes, 0, entry.bytes.length, bytes, offset, offset + length)) {
                return entry.value;
            }
        }
        byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
        Entry created = new Entry(hash, copy, new String(copy, StandardCharsets.ISO_8859_1));
        System.arraycopy(slots, base, slots, base + 1, WAYS - 1);
        slots[base] = created;
        return created.value;
    }

    private static int hash(byte[] bytes, int offset, int length) {
        int h = length;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        // Spread the high bits into the low ones that pick the set.
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private record Entry(int hash, byte[] bytes, String value) {
    }
}
