package io.cnm4j.linux.internal.libbpf;

/**
 * The Linux errno values this package reacts to, and their human-readable description.
 *
 * <p>The numbers are those of the generic Linux ABI (x86_64 and aarch64 share them). Stateless and
 * thread-safe.
 */
final class Errno {

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOPNOTSUPP = 95;
    /** Kernel-internal "not supported" that leaks out of some BPF commands on older kernels. */
    static final int ENOTSUPP = 524;

    /** libbpf's own error codes start here (enum libbpf_errno in libbpf.h). */
    private static final int LIBBPF_ERRNO_START = 4000;
    private static final String[] LIBBPF_ERRNO_SUFFIXES = {
        "LIBELF", "FORMAT", "KVERSION", "ENDIAN", "INTERNAL", "RELOC", "LOAD",
        "VERIFY", "PROG2BIG", "KVER", "PROGTYPE", "WRNGPID", "INVSEQ", "NLPARSE",
    };

    private Errno() {
    }

    /**
     * Describes an errno as {@code NAME (text)}, for example {@code EPERM (Operation not permitted)};
     * the sign is ignored because libbpf returns negated errno values.
     */
    static String describe(int errno) {
        int positive = Math.abs(errno);
        return name(positive) + " (" + text(positive) + ")";
    }

    /** True for the answers a kernel gives when a map type or kernel version lacks batch operations. */
    static boolean meansUnsupported(int errno) {
        int positive = Math.abs(errno);
        return positive == EINVAL || positive == EOPNOTSUPP || positive == ENOTSUPP;
    }

    private static String name(int errno) {
        int libbpfIndex = errno - LIBBPF_ERRNO_START;
        if (libbpfIndex >= 0 && libbpfIndex < LIBBPF_ERRNO_SUFFIXES.length) {
            return "LIBBPF_ERRNO__" + LIBBPF_ERRNO_SUFFIXES[libbpfIndex];
        }
        return LibC.errnoName(errno).orElse("errno " + errno);
    }

    private static String text(int errno) {
        return LibBpf.isAvailable() ? LibBpf.strerror(errno) : LibC.strerror(errno);
    }
}
