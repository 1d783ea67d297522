package io.cnm4j.linux.internal.libbpf;

import io.cnm4j.core.internal.ffm.CapturedError;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import io.cnm4j.linux.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A program of a {@link BpfObject} (a {@code struct bpf_program *}): choose whether it loads, and
 * attach it by hand when {@link BpfObject#attachAll()} is not what is wanted.
 *
 * <p>Borrowed, not owned: the program lives exactly as long as its object, and the links it creates
 * belong to the object. Every method fails with {@link IllegalStateException} once the object is
 * closed. Thread-safe: calls are serialized on the owning object.
 */
public final class BpfProgram {

    private final BpfObject owner;
    private final MemorySegment program;
    private final String name;

    BpfProgram(BpfObject owner, MemorySegment program, String name) {
        this.owner = owner;
        this.program = program;
        this.name = name;
    }

    /** The program's name: its function name in the BPF C source. */
    public String name() {
        return name;
    }

    /**
     * Includes or leaves out this program when the object loads; leaving out an optional program
     * (a kprobe variant on a kernel without kprobes) lets the rest of the object load. Only before
     * {@link BpfObject#load()}.
     */
    public void setAutoload(boolean autoload) throws NativeCallException {
        synchronized (owner) {
            owner.requireOpen();
            int result;
            try {
                result = (int) LibBpf.Programs.SET_AUTOLOAD.invokeExact(program, autoload);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            LibBpfErrors.check("bpf_program__set_autoload(" + name + ")", result);
        }
    }

    /** Attaches the program to the hook its section name declares (tracepoints, tp_btf, kprobes...). */
    public BpfLink attach() throws NativeCallException {
        synchronized (owner) {
            owner.requireLoaded();
            return owner.attach(program, name);
        }
    }

    /** Attaches a cgroup program (cgroup_skb, sockops, cgroup/connect4...) to a cgroup v2 directory. */
    public BpfLink attachCgroup(Path cgroup) throws NativeCallException {
        synchronized (owner) {
            owner.requireLoaded();
            int cgroupFd;
            try (Arena call = Arena.ofConfined()) {
                cgroupFd = Libc.openReadOnly(CapturedError.allocateState(call), cgroup.toString());
            }
            try {
                return owner.attachCgroup(program, name, cgroupFd, cgroup);
            } finally {
                Libc.close(cgroupFd);
            }
        }
    }

    /** The native program; only while its object's lock is held. */
    MemorySegment handle() {
        return program;
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + "]";
    }
}
