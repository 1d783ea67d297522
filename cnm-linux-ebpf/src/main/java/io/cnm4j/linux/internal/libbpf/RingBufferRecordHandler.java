package io.cnm4j.linux.internal.libbpf;

import java.lang.foreign.MemorySegment;

/**
 * Receives the records of a BPF ring buffer, one call per record, in the order the kernel committed
 * them, on the thread that polls the {@link RingBufferReader}.
 *
 * <p>The record is handed over flyweight-style, as (memory, offset, length), so that delivery
 * allocates nothing: wrap a decoder at {@code offset} in {@code memory}.
 */
@FunctionalInterface
public interface RingBufferRecordHandler {

    /**
     * Handles one record.
     *
     * <p>{@code memory} spans the whole address space, so its bounds do not protect the record: read
     * only within {@code [offset, offset + length)}, never write, and keep neither the segment nor the
     * offset after returning, because the kernel reuses the space and closing the reader unmaps it.
     * Copy what must outlive the call.
     *
     * <p>An exception thrown here is caught and counted by the reader (it must not unwind into libbpf)
     * and the following records are still delivered. Do not call the {@link BpfObject} from here: its
     * {@code close()} may be holding it while waiting for this poll to return.
     *
     * @param memory the memory holding the record
     * @param offset where the record starts in {@code memory}; 8-byte aligned
     * @param length the record's size in bytes, as the BPF program reserved it
     */
    void onRecord(MemorySegment memory, long offset, int length);
}
