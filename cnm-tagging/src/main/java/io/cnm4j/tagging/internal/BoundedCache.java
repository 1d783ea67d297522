package io.cnm4j.tagging.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A least-recently-used map holding at most {@code capacity} entries; every eviction is counted
 * so that a cache too small for the host shows in telemetry. Thread-safe (one lock): the
 * collector reads it while a background worker may fill it.
 */
public final class BoundedCache<K, V> {
    private final int capacity;
    private final LongAdder evictions = new LongAdder();
    private final LinkedHashMap<K, V> map;

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() > BoundedCache.this.capacity) {
                    evictions.increment();
                    return true;
                }
                return false;
            }
        };
    }

    public synchronized V get(K key) {
        return map.get(key);
    }

    public synchronized void put(K key, V value) {
        map.put(key, value);
    }

    public synchronized void remove(K key) {
        map.remove(key);
    }

    public synchronized int size() {
        return map.size();
    }

    /** Entries evicted to stay within capacity, since creation. */
    public long evictions() {
        return evictions.sum();
    }
}
