package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reads and edits a BPF hash map (non per-CPU, LRU or not) through its file descriptor, in batches
 * read into buffers allocated once and reused, so a full read allocates nothing per entry.
 *
 * <p>{@link #readAll} uses {@code bpf_map_lookup_batch}; where the kernel lacks it (before 5.6) it
 * falls back to {@code bpf_map_get_next_key} plus {@code bpf_map_lookup_elem} and delivers the same
 * batches. Keys and values are raw bytes in the layout of the BPF C structs; decode them with
 * flyweights.
 *
 * <p>Owned by the {@link BpfObject} that opened it (the map itself belongs to that object), which
 * closes it at the latest when it closes itself; closing it earlier frees its buffers. Closing twice
 * is harmless. Not thread-safe: use it from one thread at a time.
 */
public final class BpfHashMap implements AutoCloseable {

    /** Receives one batch of entries read by {@link BpfHashMap#readAll}. */
    @FunctionalInterface
    public interface BatchHandler {

        /**
         * Handles the first {@code count} entries of the buffers: entry {@code i} has its key at
         * {@code i * keySizeBytes()} in {@code keys} and its value at {@code i * valueSizeBytes()} in
         * {@code values}. The buffers are reused by the next batch and must not be modified; do not
         * change the map during the read either (collect keys, then {@link BpfHashMap#deleteAll}).
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

    BpfHashMap(String mapName, int mapFd, int keySizeBytes, int valueSizeBytes, int batchCapacity) {
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
    public int readAll(BatchHandler handler) throws BpfException {
        requireOpen();
        if (batchUnsupported) {
            return readKeyByKey(handler, MemorySegment.NULL);
        }
        int delivered = 0;
        boolean fromStart = true;
        while (true) {
            count.set(JAVA_INT, 0, batchCapacity);
            int result = LibBpf.mapLookupBatch(mapFd, fromStart ? MemorySegment.NULL : batchPosition, batchPosition,
                    keys, values, count);
            int read = count.get(JAVA_INT, 0);
            if (result == 0 || result == -Errno.ENOENT) {
                // ENOENT marks the end of the map, possibly with a last partial batch.
                delivered += deliver(handler, read);
                if (result == -Errno.ENOENT) {
                    return delivered;
                }
                fromStart = false;
            } else if (result == -Errno.ENOSPC && read == 0) {
                // One hash bucket holds more entries than a batch: walk the rest key by key. That walk
                // visits buckets in the same order as the batches, so nothing is delivered twice.
                return delivered + readKeyByKey(handler, fromStart ? MemorySegment.NULL : lastKeyDelivered);
            } else if (fromStart && Errno.meansUnsupported(result)) {
                batchUnsupported = true;
                return readKeyByKey(handler, MemorySegment.NULL);
            } else {
                throw BpfException.ofErrno("bpf_map_lookup_batch(" + mapName + ")", result);
            }
        }
    }

    /**
     * Reads the value of one key.
     *
     * @return false when the map has no such key
     */
    public boolean lookup(MemorySegment key, MemorySegment value) throws BpfException {
        requireOpen();
        requireSize(key, keySizeBytes, "key");
        requireSize(value, valueSizeBytes, "value");
        return presentOrThrow("bpf_map_lookup_elem", LibBpf.mapLookupElem(mapFd, key, value));
    }

    /**
     * Creates or replaces an entry.
     *
     * @throws BpfException E2BIG when the map is full
     */
    public void put(MemorySegment key, MemorySegment value) throws BpfException {
        requireOpen();
        requireSize(key, keySizeBytes, "key");
        requireSize(value, valueSizeBytes, "value");
        BpfException.check("bpf_map_update_elem(" + mapName + ")", LibBpf.mapUpdateElem(mapFd, key, value, BPF_ANY));
    }

    /**
     * Deletes one entry.
     *
     * @return false when the map had no such key
     */
    public boolean delete(MemorySegment key) throws BpfException {
        requireOpen();
        requireSize(key, keySizeBytes, "key");
        return presentOrThrow("bpf_map_delete_elem", LibBpf.mapDeleteElem(mapFd, key));
    }

    /**
     * Deletes the entries of {@code keyCount} keys laid out back to back in {@code keys}, with
     * {@code bpf_map_delete_batch} where the kernel has it. Keys already gone are skipped.
     *
     * @return the number of entries deleted
     */
    public int deleteAll(MemorySegment keys, int keyCount) throws BpfException {
        requireOpen();
        requireSize(keys, (long) keyCount * keySizeBytes, "keys");
        int deleted = 0;
        int next = 0;
        while (!batchUnsupported && next < keyCount) {
            count.set(JAVA_INT, 0, keyCount - next);
            int result = LibBpf.mapDeleteBatch(mapFd, keys.asSlice((long) next * keySizeBytes), count);
            int done = count.get(JAVA_INT, 0);
            deleted += done;
            next += done;
            if (result == 0) {
                return deleted;
            } else if (result == -Errno.ENOENT) {
                // The kernel stops at the first missing key; skip it and go on with the others.
                next++;
            } else if (next == 0 && Errno.meansUnsupported(result)) {
                batchUnsupported = true;
            } else {
                throw BpfException.ofErrno("bpf_map_delete_batch(" + mapName + ")", result);
            }
        }
        for (; next < keyCount; next++) {
            MemorySegment key = keys.asSlice((long) next * keySizeBytes, keySizeBytes);
            if (presentOrThrow("bpf_map_delete_elem", LibBpf.mapDeleteElem(mapFd, key))) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Frees the buffers; the map itself lives on with its {@link BpfObject}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
    }

    @Override
    public String toString() {
        return "BpfHashMap[" + mapName + "]";
    }

    /** The fallback: same batches as {@link #readAll}, filled one key at a time. */
    private int readKeyByKey(BatchHandler handler, MemorySegment startAfter) throws BpfException {
        int delivered = 0;
        int filled = 0;
        MemorySegment previousKey = startAfter;
        while (true) {
            int result = LibBpf.mapGetNextKey(mapFd, previousKey, keySlots[filled]);
            if (result == -Errno.ENOENT) {
                return delivered + deliver(handler, filled);
            }
            BpfException.check("bpf_map_get_next_key(" + mapName + ")", result);
            // The kernel reads the previous key before writing the next, so both may be the same slot.
            previousKey = keySlots[filled];
            boolean present = presentOrThrow("bpf_map_lookup_elem",
                    LibBpf.mapLookupElem(mapFd, keySlots[filled], valueSlots[filled]));
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

    private boolean presentOrThrow(String call, int result) throws BpfException {
        if (result == -Errno.ENOENT) {
            return false;
        }
        BpfException.check(call + "(" + mapName + ")", result);
        return true;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("hash map helper of " + mapName + " is closed");
        }
    }

    private static void requireSize(MemorySegment segment, long minimumBytes, String what) {
        if (segment.byteSize() < minimumBytes) {
            throw new IllegalArgumentException(what + " segment has " + segment.byteSize()
                    + " bytes, the map needs " + minimumBytes);
        }
    }
}
