package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The entries of a BPF hash map (non per-CPU, LRU or not) or array map, read and edited through the
 * map's file descriptor: batch reads into buffers allocated once and reused, so a full read
 * allocates nothing per entry, and lookups, updates and deletes by key.
 *
 * <p>{@link #readAll} uses {@code bpf_map_lookup_batch}; where the kernel lacks it (before 5.6) it
 * falls back to {@code bpf_map_get_next_key} plus {@code bpf_map_lookup_elem} and delivers the same
 * batches. Keys and values are raw bytes in the layout of the BPF C structs; decode them with
 * flyweights.
 *
 * <p>Owned by the {@link BpfObject} that opened it (the map itself belongs to that object), its
 * only closer: the buffers are freed when the object closes, never by the user. Closing twice is
 * harmless. Not thread-safe: use it from one thread at a time, and not while the object closes.
 */
public final class BpfMapEntries {

    /** Receives one batch of entries read by {@link BpfMapEntries#readAll}. */
    @FunctionalInterface
    public interface BatchHandler {

        /**
         * Handles the first {@code count} entries of the buffers: entry {@code i} has its key at
         * {@code i * keySizeBytes()} in {@code keys} and its value at {@code i * valueSizeBytes()} in
         * {@code values}. The buffers are reused by the next batch and must not be modified; do not
         * change the map during the read either (collect keys, then {@link BpfMapEntries#deleteAll}).
         */
        void onBatch(MemorySegment keys, MemorySegment values, int count);
    }

    /** {@code BPF_ANY}: create the entry or replace its value. */
    private static final long BPF_ANY = 0;

    private final String mapName;
    private final int mapFd;
    private final int keySizeBytes;
    private final int valueSizeBytes;
    private final int batchCapacity;
    private final Arena arena;
    private final MemorySegment keys;
    private final MemorySegment values;
    /** One view per entry of the buffers, made once so that the key-by-key fallback does not allocate. */
    private final MemorySegment[] keySlots;
    private final MemorySegment[] valueSlots;
    /** The kernel's opaque position between two batch calls: a bucket index for hash maps. */
    private final MemorySegment batchPosition;
    /** In/out entry count of the batch calls ({@code __u32}). */
    private final MemorySegment count;
    /** The last key of the last batch delivered, where a key-by-key read resumes. */
    private final MemorySegment lastKeyDelivered;
    private boolean batchUnsupported;
    private boolean closed;

    BpfMapEntries(String mapName, int mapFd, int keySizeBytes, int valueSizeBytes, int batchCapacity) {
        if (batchCapacity <= 0) {
            throw new IllegalArgumentException("batchCapacity must be positive: " + batchCapacity);
        }
        this.mapName = mapName;
        this.mapFd = mapFd;
        this.keySizeBytes = keySizeBytes;
        this.valueSizeBytes = valueSizeBytes;
        this.batchCapacity = batchCapacity;
        this.arena = Arena.ofShared();
        this.keys = arena.allocate((long) keySizeBytes * batchCapacity, Long.BYTES);
        this.values = arena.allocate((long) valueSizeBytes * batchCapacity, Long.BYTES);
        this.keySlots = new MemorySegment[batchCapacity];
        this.valueSlots = new MemorySegment[batchCapacity];
        for (int i = 0; i < batchCapacity; i++) {
            keySlots[i] = keys.asSlice((long) i * keySizeBytes, keySizeBytes);
            valueSlots[i] = values.asSlice((long) i * valueSizeBytes, valueSizeBytes);
        }
        this.batchPosition = arena.allocate(Math.max(keySizeBytes, Long.BYTES), Long.BYTES);
        this.count = arena.allocate(JAVA_INT);
        this.lastKeyDelivered = arena.allocate(keySizeBytes, Long.BYTES);
    }

    public String mapName() {
        return mapName;
    }

    public int keySizeBytes() {
        return keySizeBytes;
    }

    public int valueSizeBytes() {
        return valueSizeBytes;
    }

    /** The most entries one {@link BatchHandler#onBatch} call receives. */
    public int batchCapacity() {
        return batchCapacity;
    }

    /**
     * Reads every entry, delivering them in batches of at most {@link #batchCapacity()}.
     *
     * <p>Not a snapshot: entries the BPF programs add or remove meanwhile may or may not be seen, and
     * with the key-by-key fallback an entry removed meanwhile can restart the walk (entries seen twice).
     *
     * @return the number of entries delivered
     */
    public int readAll(BatchHandler handler) throws NativeCallException {
        requireOpen();
        if (batchUnsupported) {
            return readKeyByKey(handler, MemorySegment.NULL);
        }
        int delivered = 0;
        boolean fromStart = true;
        while (true) {
            count.set(JAVA_INT, 0, batchCapacity);
            MemorySegment startAfter = fromStart ? MemorySegment.NULL : batchPosition;
            int result;
            try {
                result = (int) LibBpf.MapElements.LOOKUP_BATCH.invokeExact(mapFd, startAfter, batchPosition, keys,
                        values, count, MemorySegment.NULL);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            int read = count.get(JAVA_INT, 0);
            if (result == 0 || result == -LinuxErrno.ENOENT) {
                // ENOENT marks the end of the map, possibly with a last partial batch.
                delivered += deliver(handler, read);
                if (result == -LinuxErrno.ENOENT) {
                    return delivered;
                }
                fromStart = false;
            } else if (result == -LinuxErrno.ENOSPC && read == 0) {
                // One hash bucket holds more entries than a batch: walk the rest key by key. That walk
                // visits buckets in the same order as the batches, so nothing is delivered twice.
                return delivered + readKeyByKey(handler, fromStart ? MemorySegment.NULL : lastKeyDelivered);
            } else if (fromStart && LinuxErrno.meansUnsupported(result)) {
                batchUnsupported = true;
                return readKeyByKey(handler, MemorySegment.NULL);
            } else {
                throw LibBpfErrors.failure("bpf_map_lookup_batch(" + mapName + ")", result);
            }
        }
    }

    /**
     * Reads the value of one key.
     *
     * @return false when the map has no such key
     */
    public boolean lookup(MemorySegment key, MemorySegment value) throws NativeCallException {
        requireOpen();
        requireSize(key, keySizeBytes, "key");
        requireSize(value, valueSizeBytes, "value");
        return presentOrThrow("bpf_map_lookup_elem", lookupElement(key, value));
    }

    /**
     * Creates or replaces an entry.
     *
     * @throws NativeCallException E2BIG when the map is full
     */
    public void put(MemorySegment key, MemorySegment value) throws NativeCallException {
        requireOpen();
        requireSize(key, keySizeBytes, "key");
        requireSize(value, valueSizeBytes, "value");
        int result;
        try {
            result = (int) LibBpf.MapElements.UPDATE.invokeExact(mapFd, key, value, BPF_ANY);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        LibBpfErrors.check("bpf_map_update_elem(" + mapName + ")", result);
    }

    /**
     * Deletes one entry.
     *
     * @return false when the map had no such key
     */
    public boolean delete(MemorySegment key) throws NativeCallException {
        requireOpen();
        requireSize(key, keySizeBytes, "key");
        return presentOrThrow("bpf_map_delete_elem", deleteElement(key));
    }

    /**
     * Deletes the entries of {@code keyCount} keys laid out back to back in {@code keys}, with
     * {@code bpf_map_delete_batch} where the kernel has it. Keys already gone are skipped.
     *
     * @return the number of entries deleted
     */
    public int deleteAll(MemorySegment keys, int keyCount) throws NativeCallException {
        requireOpen();
        requireSize(keys, (long) keyCount * keySizeBytes, "keys");
        int deleted = 0;
        int next = 0;
        while (!batchUnsupported && next < keyCount) {
            count.set(JAVA_INT, 0, keyCount - next);
            int result;
            try {
                result = (int) LibBpf.MapElements.DELETE_BATCH.invokeExact(mapFd,
                        keys.asSlice((long) next * keySizeBytes), count, MemorySegment.NULL);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            int done = count.get(JAVA_INT, 0);
            deleted += done;
            next += done;
            if (result == 0) {
                return deleted;
            } else if (result == -LinuxErrno.ENOENT) {
                // The kernel stops at the first missing key; skip it and go on with the others.
                next++;
            } else if (next == 0 && LinuxErrno.meansUnsupported(result)) {
                batchUnsupported = true;
            } else {
                throw LibBpfErrors.failure("bpf_map_delete_batch(" + mapName + ")", result);
            }
        }
        for (; next < keyCount; next++) {
            MemorySegment key = keys.asSlice((long) next * keySizeBytes, keySizeBytes);
            if (presentOrThrow("bpf_map_delete_elem", deleteElement(key))) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Frees the buffers; called by the owning {@link BpfObject} only, which frees the map itself. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
    }

    @Override
    public String toString() {
        return "BpfMapEntries[" + mapName + "]";
    }

    /** The fallback: same batches as {@link #readAll}, filled one key at a time. */
    private int readKeyByKey(BatchHandler handler, MemorySegment startAfter) throws NativeCallException {
        int delivered = 0;
        int filled = 0;
        MemorySegment previousKey = startAfter;
        while (true) {
            int result;
            try {
                result = (int) LibBpf.MapElements.GET_NEXT_KEY.invokeExact(mapFd, previousKey, keySlots[filled]);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            if (result == -LinuxErrno.ENOENT) {
                return delivered + deliver(handler, filled);
            }
            LibBpfErrors.check("bpf_map_get_next_key(" + mapName + ")", result);
            // The kernel reads the previous key before writing the next, so both may be the same slot.
            previousKey = keySlots[filled];
            boolean present = presentOrThrow("bpf_map_lookup_elem", lookupElement(keySlots[filled], valueSlots[filled]));
            // A key deleted since get_next_key found it leaves its slot to the next key.
            if (present && ++filled == batchCapacity) {
                delivered += deliver(handler, filled);
                filled = 0;
            }
        }
    }

    private int deliver(BatchHandler handler, int entries) {
        if (entries > 0) {
            MemorySegment.copy(keys, (long) (entries - 1) * keySizeBytes, lastKeyDelivered, 0, keySizeBytes);
            handler.onBatch(keys, values, entries);
        }
        return entries;
    }

    /** {@code bpf_map_lookup_elem}: 0 or a negated errno. */
    private int lookupElement(MemorySegment key, MemorySegment value) {
        try {
            return (int) LibBpf.MapElements.LOOKUP.invokeExact(mapFd, key, value);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    /** {@code bpf_map_delete_elem}: 0 or a negated errno. */
    private int deleteElement(MemorySegment key) {
        try {
            return (int) LibBpf.MapElements.DELETE.invokeExact(mapFd, key);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    private boolean presentOrThrow(String call, int result) throws NativeCallException {
        if (result == -LinuxErrno.ENOENT) {
            return false;
        }
        LibBpfErrors.check(call + "(" + mapName + ")", result);
        return true;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("entries of map " + mapName + " is closed");
        }
    }

    private static void requireSize(MemorySegment segment, long minimumBytes, String what) {
        if (segment.byteSize() < minimumBytes) {
            throw new IllegalArgumentException(what + " segment has " + segment.byteSize()
                    + " bytes, the map needs " + minimumBytes);
        }
    }
}
