package io.cnm4j.linux.internal.libbpf;

import io.cnm4j.core.internal.ffm.NativeLibrary;
import java.lang.foreign.MemorySegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attachment of a BPF program (a {@code struct bpf_link *}): while it is open the program runs on
 * its hook; {@link #close()} detaches it.
 *
 * <p>Owned by the {@link BpfObject} that created it, which closes it before the object itself; closing
 * it earlier detaches just this program. Thread-safe; closing twice is harmless.
 */
final class BpfLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BpfLink.class);

    private final String programName;
    private final MemorySegment link;
    private boolean closed;

    BpfLink(String programName, MemorySegment link) {
        this.programName = programName;
        this.link = link;
    }

    /** The name of the attached program, as written in the BPF C source. */
    public String programName() {
        return programName;
    }

    /** Detaches the program. A kernel error cannot be acted upon here, so it is logged. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        int result;
        try {
            result = (int) LibBpf.Programs.LINK_DESTROY.invokeExact(link);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        if (result < 0) {
            LOG.warn("bpf_link__destroy({}) failed: {}", programName, LibBpfErrors.describe(result));
        }
    }

    @Override
    public String toString() {
        return "BpfLink[" + programName + "]";
    }
}
