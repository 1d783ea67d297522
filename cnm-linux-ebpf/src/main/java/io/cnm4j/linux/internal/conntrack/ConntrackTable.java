package io.cnm4j.linux.internal.conntrack;

import io.cnm4j.core.NatTranslation;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The translated conntrack entries of one network namespace, bounded: when full, the least
 * recently used entry is evicted and counted. Indexed by both directions, so the client side
 * of a connection (its tuple is the original direction) and the server side (its tuple is the
 * reply direction) both find their translation.
 *
 * <p>A destroyed entry is kept for a grace period: the connection it translated is usually
 * delivered closed after conntrack forgot it. Thread-safe: the conntrack thread writes, the
 * collecting thread looks up, both under this object's lock.
 */
final class ConntrackTable {
    private final int capacity;
    private final long destroyedGraceNanos;
    private final LinkedHashMap<TupleKey, Entry> byOriginal = new LinkedHashMap<>(1024, 0.75f, true);
    private final Map<TupleKey, Entry> byReply = new HashMap<>(1024);
    /** Destroyed entries in the order they were destroyed, for expiry without a full scan. */
    private final ArrayDeque<Entry> destroyed = new ArrayDeque<>();
    private long inserted;
    private long evicted;
    private long expired;

    private static final class Entry {
        final TupleKey original;
        final TupleKey reply;
        boolean destroyed;
        long destroyedAtNanos;

        Entry(TupleKey original, TupleKey reply) {
            this.original = original;
            this.reply = reply;
        }
    }

    ConntrackTable(int capacity, long destroyedGraceNanos) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.destroyedGraceNanos = destroyedGraceNanos;
    }

    /** Adds or refreshes a translated entry; evicts the least recently used one when full. */
    synchronized void put(TupleKey original, TupleKey reply) {
        Entry existing = byOriginal.get(original);
        if (existing != null) {
            if (existing.reply.equals(reply)) {
                existing.destroyed = false;
                return;
            }
            remove(existing);
        }
        Entry entry = new Entry(original, reply);
        byOriginal.put(original, entry);
        byReply.put(reply, entry);
        inserted++;
        if (byOriginal.size() > capacity) {
            Iterator<Entry> eldest = byOriginal.values().iterator();
            Entry victim = eldest.next();
            eldest.remove();
            byReply.remove(victim.reply, victim);
            evicted++;
        }
    }

    /** Conntrack destroyed the entry: it is forgotten after the grace period. */
    synchronized void destroyed(TupleKey original, long nowNanos) {
        Entry entry = byOriginal.get(original);
        if (entry != null && !entry.destroyed) {
            entry.destroyed = true;
            entry.destroyedAtNanos = nowNanos;
            destroyed.addLast(entry);
        }
    }

    /** Forgets the entries destroyed longer than the grace period ago. */
    synchronized void expire(long nowNanos) {
        for (Entry head = destroyed.peekFirst(); head != null; head = destroyed.peekFirst()) {
            if (head.destroyed && nowNanos - head.destroyedAtNanos < destroyedGraceNanos) {
                return;
            }
            destroyed.pollFirst();
            // Created again since, or already evicted: nothing to forget.
            if (head.destroyed && byOriginal.get(head.original) == head) {
                remove(head);
                expired++;
            }
        }
    }

    private void remove(Entry entry) {
        byOriginal.remove(entry.original);
        byReply.remove(entry.reply, entry);
    }

    /**
     * The translation of a connection seen from this host as {@code flow} (local → remote), or
     * null when conntrack did not translate it.
     */
    synchronized NatTranslation lookup(TupleKey flow) {
        Entry entry = byOriginal.get(flow);
        if (entry != null) {
            // Client side: the peer answers from reply.source to reply.destination.
            return new NatTranslation(entry.reply.destinationAddress(), entry.reply.destinationPort(),
                    entry.reply.sourceAddress(), entry.reply.sourcePort());
        }
        entry = byReply.get(flow);
        if (entry != null) {
            // Server side: the client addressed original.destination from original.source.
            return new NatTranslation(entry.original.destinationAddress(), entry.original.destinationPort(),
                    entry.original.sourceAddress(), entry.original.sourcePort());
        }
        return null;
    }

    synchronized int size() {
        return byOriginal.size();
    }

    synchronized long inserted() {
        return inserted;
    }

    synchronized long evicted() {
        return evicted;
    }

    synchronized long expired() {
        return expired;
    }
}
