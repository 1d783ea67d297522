package io.cnm4j.linux.internal.libbpf;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A map of a {@link BpfObject} (a {@code struct bpf_map *}), to inspect and to size before load.
 *
 * <p>Borrowed, not owned: the map lives exactly as long as its object, and every method fails with
 * {@link IllegalStateException} once the object is closed. Thread-safe: calls are serialized on the
 * owning object.
 */
public final class BpfMap {

    /** enum bpf_map_type values in linux/bpf.h. */
    static final int TYPE_HASH = 1;
    static final int TYPE_ARRAY = 2;
    static final int TYPE_LRU_HASH = 9;
    static final int TYPE_RINGBUF = 27;

    private final BpfObject owner;
    private final MemorySegment map;
    private final String name;

    BpfMap(BpfObject owner, MemorySegment map, String name) {
        this.owner = owner;
        this.map = map;
        this.name = name;
    }

    /** The map's name, as written in the BPF C source. */
    public String name() {
        return name;
    }

    /** The size of a key, {@code sizeof} the key type in the BPF C source. */
    public int keySizeBytes() {
        return property(LibBpf.Maps.KEY_SIZE);
    }

    /** The size of a value, {@code sizeof} the value type in the BPF C source. */
    public int valueSizeBytes() {
        return property(LibBpf.Maps.VALUE_SIZE);
    }

    /** The capacity in entries; for a ring buffer, its size in bytes. */
    public int maxEntries() {
        return property(LibBpf.Maps.MAX_ENTRIES);
    }

    /**
     * Sizes the map from configuration instead of the value compiled into the object. Only possible
     * before {@link BpfObject#load()}; libbpf rounds a ring buffer up to a power-of-two number of pages.
     */
    public void setMaxEntries(int maxEntries) throws NativeCallException {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        synchronized (owner) {
            owner.requireOpen();
            int result;
            try {
                result = (int) LibBpf.Maps.SET_MAX_ENTRIES.invokeExact(map, maxEntries);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            LibBpfErrors.check("bpf_map__set_max_entries(" + name + ")", result);
        }
    }

    /**
     * Replaces the initial contents of a global-data map such as {@code .rodata} before load;
     * {@code data} must be exactly the map's value size.
     */
    public void setInitialValue(MemorySegment data) throws NativeCallException {
        synchronized (owner) {
            owner.requireOpen();
            int result;
            try {
                result = (int) LibBpf.Maps.SET_INITIAL_VALUE.invokeExact(map, data, data.byteSize());
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            LibBpfErrors.check("bpf_map__set_initial_value(" + name + ")", result);
        }
    }

    /** The {@code enum bpf_map_type} value. */
    int type() {
        return property(LibBpf.Maps.TYPE);
    }

    /** The map's descriptor, owned by the object; negative before load. */
    int fd() {
        return property(LibBpf.Maps.FD);
    }

    /** One of the {@code int bpf_map__...(const struct bpf_map *)} accessors. */
    private int property(MethodHandle accessor) {
        synchronized (owner) {
            owner.requireOpen();
            try {
                return (int) accessor.invokeExact(map);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
        }
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + "]";
    }
}
