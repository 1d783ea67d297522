package io.cnm4j.linux.internal.libbpf;

import io.cnm4j.core.internal.ffm.CapturedError;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import io.cnm4j.linux.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A BPF iterator program attached to a map (an {@code iter/...} program's link) for what it does
 * to the maps it writes: every {@link #run} is a new pass over the map ({@code bpf_iter_create}),
 * read to its end; what the program prints is discarded.
 *
 * <p>Owns the link and the read buffer; owned by the {@link BpfObject} that created it, which alone
 * closes it, before itself. Thread-safe: passes and closing are serialized on this instance.
 */
public final class BpfIterator {
    private static final long BUFFER_BYTES = 4096;

    private final String programName;
    private final BpfLink link;
    private final int linkFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private final MemorySegment callState;
    private boolean closed;

    BpfIterator(String programName, BpfLink link, int linkFd) {
        this.programName = programName;
        this.link = link;
        this.linkFd = linkFd;
        this.buffer = arena.allocate(BUFFER_BYTES);
        this.callState = CapturedError.allocateState(arena);
    }

    /**
     * Runs the program once over every element of the map.
     *
     * @throws NativeCallException when a pass cannot be started or read
     */
    public synchronized void run() throws NativeCallException {
        if (closed) {
            throw new IllegalStateException("iterator " + programName + " is closed");
        }
        int fd;
        try {
            fd = (int) LibBpf.Iterators.CREATE.invokeExact(linkFd);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        LibBpfErrors.check("bpf_iter_create(" + programName + ")", fd);
        try {
            String call = "read(iterator " + programName + ")";
            // EAGAIN: the kernel stopped after a million elements without output; the pass goes on
            while (Libc.read(callState, fd, buffer, call) != 0) {
                // the pass goes on while it is read
            }
        } finally {
            Libc.close(fd);
        }
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
