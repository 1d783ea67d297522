package io.cnm4j.linux.internal;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.libbpf.BpfObject;
import java.util.List;
import java.util.Locale;

/**
 * Which BPF object and which of its send and receive hooks this kernel loads. Every variant counts
 * the same thing at the same point (the return of the AF_INET/AF_INET6 sendmsg and recvmsg that
 * sock_sendmsg and sock_recvmsg call). {@link #TRACEPOINTS} and {@link #FEXIT} share
 * {@code cnm_conn.bpf.o}, whose other programs are the same in both: the unused variant's programs
 * are switched off with {@code bpf_program__set_autoload}. {@link #SOCKET_MAP} is the same source
 * built for kernels whose tracing programs lack the socket helpers ({@code cnm_conn_socket_map.bpf.o}).
 * The running kernel decides by what it offers ({@link KernelTracepoints}, {@link TracingHelpers}).
 */
enum ProgramVariant {
    /** Linux 6.3+: the {@code sock_send_length} and {@code sock_recv_length} tracepoints. */
    TRACEPOINTS("tp_btf sock_send_length/sock_recv_length", List.of("cnm_sock_send", "cnm_sock_recv"), false),
    /** 5.12 to 6.2: fexit of {@code inet_sendmsg}, {@code inet6_sendmsg}, {@code inet_recvmsg}, {@code inet6_recvmsg}. */
    FEXIT(Hooks.FEXIT, Hooks.FEXIT_PROGRAMS, false),
    /**
     * 5.8 to 5.11 (5.10: Debian 11, Amazon Linux 2): the fexit hooks, per-socket state in a hash
     * map keyed by the socket's address, cookies read from the socket after cgroup programs made
     * them, fentry of {@code inet_release} for UDP closes; no atomic exchange or fetch-add; tcp_sock
     * fields copied with probe reads and the clock read at every send and receive (tracing programs
     * get bpf_skc_to_tcp_sock and bpf_jiffies64 in 5.9).
     */
    SOCKET_MAP(Hooks.FEXIT, Hooks.FEXIT_PROGRAMS, true);

    /** Shared by the variants that hook sendmsg and recvmsg with fexit. */
    private static final class Hooks {
        static final String FEXIT = "fexit inet_sendmsg/inet6_sendmsg/inet_recvmsg/inet6_recvmsg";
        static final List<String> FEXIT_PROGRAMS = List.of("cnm_inet_sendmsg", "cnm_inet6_sendmsg",
                "cnm_inet_recvmsg", "cnm_inet6_recvmsg");
    }

    private final String hooks;
    private final List<String> programs;
    private final boolean socketMap;

    ProgramVariant(String hooks, List<String> programs, boolean socketMap) {
        this.hooks = hooks;
        this.programs = programs;
        this.socketMap = socketMap;
    }

    /**
     * The variant for a kernel that has (or lacks) the 6.3 length tracepoints and whose tracing
     * programs lack the given ones of bpf_sk_storage_get and bpf_get_socket_cookie.
     */
    static ProgramVariant forKernel(boolean lengthTracepoints, List<String> missingTracingSocketHelpers) {
        if (!missingTracingSocketHelpers.isEmpty()) {
            return SOCKET_MAP;
        }
        return lengthTracepoints ? TRACEPOINTS : FEXIT;
    }

    /** The variant for the running kernel. */
    static ProgramVariant running() {
        return forKernel(KernelTracepoints.hasLengthTracepoints(), TracingHelpers.runningMissing());
    }

    /** The verified bytes of this variant's BPF object. */
    byte[] objectBytes() {
        return socketMap ? BpfObjectResource.cnmConnSocketMapBytes() : BpfObjectResource.cnmConnBytes();
    }

    /** The SHA-256 the build recorded for this variant's BPF object. */
    String objectSha256() {
        return socketMap ? BpfObjectResource.cnmConnSocketMapSha256() : BpfObjectResource.cnmConnSha256();
    }

    /** Whether per-socket state lives in the hash map {@code sock_state}, which user space sizes. */
    boolean socketMap() {
        return socketMap;
    }

    /** The kernel hooks that count sends and receives. */
    String hooks() {
        return hooks;
    }

    /**
     * Why this kernel gets this variant, for the backend's capabilities, given the socket helpers
     * its tracing programs lack ({@link TracingHelpers}).
     */
    String reason(KernelVersion kernel, List<String> missingTracingSocketHelpers) {
        return switch (this) {
            case TRACEPOINTS -> "kernel " + kernel + " has the sock_send_length/sock_recv_length tracepoints (Linux 6.3+)";
            case FEXIT -> "kernel " + kernel + " lacks the sock_send_length/sock_recv_length tracepoints (Linux 6.3+)";
            case SOCKET_MAP -> "tracing programs on kernel " + kernel + " lack "
                    + String.join(" and ", missingTracingSocketHelpers);
        };
    }

    /** The variant's send and receive programs, in the order of the object (and of its load). */
    List<String> programs() {
        return programs;
    }

    /** Leaves the programs of every other variant of the same object out of its load. */
    void selectIn(BpfObject object) throws NativeCallException {
        for (ProgramVariant other : values()) {
            if (other.socketMap == socketMap && !other.programs.equals(programs)) {
                for (String program : other.programs) {
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
