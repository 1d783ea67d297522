package io.cnm4j.core.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Open-addressing hash map from primitive {@code long} keys to objects, so that looking up a
 * flow by its id neither boxes nor allocates. Linear probing with backward-shift deletion.
 * Not thread-safe.
 */
final class LongObjectMap<V> {
    private static final float MAX_LOAD = 0.6f;

    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    public LongObjectMap(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(4, (int) (expectedSize / MAX_LOAD)) - 1) << 1;
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object value = values[i];
            if (value == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) value;
            }
        }
    }

    /** Associates the value (never null) with the key; returns the previous value or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object existing = values[i];
            if (existing == null) {
                keys[i] = key;
                values[i] = value;
                if (++size > keys.length * MAX_LOAD) {
                    grow();
                }
                return null;
            }
            if (keys[i] == key) {
                values[i] = value;
                return (V) existing;
            }
        }
    }

    @SuppressWarnings("unchecked")
    public V remove(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object existing = values[i];
            if (existing == null) {
                return null;
            }
            if (keys[i] == key) {
                shiftBack(i);
                size--;
                return (V) existing;
            }
        }
    }

    /** Calls the action for every value; the action must not modify the map. */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<? super V> action) {
        for (Object value : values) {
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    /** Removes every entry whose value the predicate accepts; returns how many were removed. */
    @SuppressWarnings("unchecked")
    public int removeIf(java.util.function.Predicate<? super V> predicate) {
        int removed = 0;
        int i = 0;
        while (i < values.length) {
            Object value = values[i];
            if (value != null && predicate.test((V) value)) {
                shiftBack(i);
                size--;
                removed++;
                // the slot now holds a shifted entry (or is empty): look at it again
            } else {
                i++;
            }
        }
        return removed;
    }

    public void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            Object value = values[i];
            if (value == null) {
                break;
            }
            int home = slot(keys[i]);
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = value;
                hole = i;
            }
        }
        values[hole] = null;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
    }
}
