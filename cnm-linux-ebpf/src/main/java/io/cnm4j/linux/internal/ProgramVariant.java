package io.cnm4j.linux.internal;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.libbpf.BpfObject;
import java.util.List;
import java.util.Locale;

/**
 * Which send and receive hooks of {@code cnm_conn.bpf.o} this kernel loads. Both variants count
 * the same thing at the same point (the return of the AF_INET/AF_INET6 sendmsg and recvmsg that
 * sock_sendmsg and sock_recvmsg call); the other programs of the object are the same in both.
 * The unused variant's programs are switched off with {@code bpf_program__set_autoload}.
 */
enum ProgramVariant {
    /** Linux 6.3+: the {@code sock_send_length} and {@code sock_recv_length} tracepoints. */
    TRACEPOINTS("tp_btf sock_send_length/sock_recv_length", List.of("cnm_sock_send", "cnm_sock_recv")),
    /** Before 6.3: fexit of {@code inet_sendmsg}, {@code inet6_sendmsg}, {@code inet_recvmsg}, {@code inet6_recvmsg}. */
    FEXIT("fexit inet_sendmsg/inet6_sendmsg/inet_recvmsg/inet6_recvmsg",
            List.of("cnm_inet_sendmsg", "cnm_inet6_sendmsg", "cnm_inet_recvmsg", "cnm_inet6_recvmsg"));

    private final String hooks;
    private final List<String> programs;

    ProgramVariant(String hooks, List<String> programs) {
        this.hooks = hooks;
        this.programs = programs;
    }

    /** The variant for a kernel that has (or lacks) the 6.3 length tracepoints. */
    static ProgramVariant forKernel(boolean lengthTracepoints) {
        return lengthTracepoints ? TRACEPOINTS : FEXIT;
    }

    /** The variant for the running kernel. */
    static ProgramVariant running() {
        return forKernel(KernelTracepoints.hasLengthTracepoints());
    }

    /** The kernel hooks that count sends and receives. */
    String hooks() {
        return hooks;
    }

    /** Why this kernel gets this variant, for the backend's capabilities. */
    String reason(KernelVersion kernel) {
        return this == TRACEPOINTS
                ? "kernel " + kernel + " has the sock_send_length/sock_recv_length tracepoints (Linux 6.3+)"
                : "kernel " + kernel + " lacks the sock_send_length/sock_recv_length tracepoints (Linux 6.3+)";
    }

    /** The variant's send and receive programs, in the order of the object (and of its load). */
    List<String> programs() {
        return programs;
    }

    /** Leaves the programs of every other variant out of the object's load. */
    void selectIn(BpfObject object) throws NativeCallException {
        for (ProgramVariant other : values()) {
            if (other != this) {
                for (String program : other.programs()) {
                    object.program(program).setAutoload(false);
                }
            }
        }
    }

    /** The variant's name as capabilities show it. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
