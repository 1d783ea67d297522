package io.cnm4j.linux.internal.libbpf;

import io.cnm4j.core.internal.ffm.CapturedError;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import io.cnm4j.linux.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A BPF iterator program attached to a map (an {@code iter/...} program's link): every
 * {@link #readAll} is a new pass over the map ({@code bpf_iter_create}), whose output is a sequence
 * of fixed-size records the program wrote with {@code bpf_seq_write}.
 *
 * <p>Owns the link and the read buffer; owned by the {@link BpfObject} that created it, which alone
 * closes it, before itself. Thread-safe: passes and closing are serialized on this instance.
 */
public final class BpfIterator {
    /** Records per read() call: the kernel fills at most its own buffer (8 pages) per call anyway. */
    private static final int RECORDS_PER_READ = 256;

    /** Receives one record of a pass, flyweight-style: read {@code recordBytes} from {@code offset}, keep nothing. */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(MemorySegment memory, long offset) throws NativeCallException;
    }

    private final String programName;
    private final BpfLink link;
    private final int linkFd;
    private final int recordBytes;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private final MemorySegment callState;
    private boolean closed;

    BpfIterator(String programName, BpfLink link, int linkFd, int recordBytes) {
        this.programName = programName;
        this.link = link;
        this.linkFd = linkFd;
        this.recordBytes = recordBytes;
        this.buffer = arena.allocate((long) recordBytes * RECORDS_PER_READ, Long.BYTES);
        this.callState = CapturedError.allocateState(arena);
    }

    /**
     * Runs one pass and hands every record to {@code handler}, in the order written.
     *
     * @return the records handled
     * @throws NativeCallException when a pass cannot be started or read, or ends inside a record
     */
    public synchronized long readAll(RecordHandler handler) throws NativeCallException {
        if (closed) {
            throw new IllegalStateException("iterator " + programName + " is closed");
        }
        int fd = create();
        try {
            long records = 0;
            long filled = 0;
            while (true) {
                long read = Libc.read(callState, fd, buffer, filled, buffer.byteSize() - filled,
                        "read(iterator " + programName + ")");
                if (read == 0) {
                    break;
                }
                filled += read;
                long whole = filled - filled % recordBytes;
                for (long offset = 0; offset < whole; offset += recordBytes) {
                    handler.onRecord(buffer, offset);
                    records++;
                }
                // a record the kernel split between two reads: its start moves to the front
                MemorySegment.copy(buffer, whole, buffer, 0, filled - whole);
                filled -= whole;
            }
            if (filled != 0) {
                throw new NativeCallException("read(iterator " + programName + ")", 0,
                        "the pass ended " + filled + " bytes into a record of " + recordBytes);
            }
            return records;
        } finally {
            Libc.close(fd);
        }
    }

    private int create() throws NativeCallException {
        int fd;
        try {
            fd = (int) LibBpf.Iterators.CREATE.invokeExact(linkFd);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        return LibBpfErrors.check("bpf_iter_create(" + programName + ")", fd);
    }

    /** Detaches the program and frees the buffer; closing twice is harmless. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            link.close();
        } finally {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "BpfIterator[" + programName + "]";
    }
}
