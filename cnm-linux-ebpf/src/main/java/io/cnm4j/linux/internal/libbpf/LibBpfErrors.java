package io.cnm4j.linux.internal.libbpf;

import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;

/**
 * Turns libbpf's error results into {@link NativeCallException}s. libbpf 1.x reports failures in
 * two ways: functions returning {@code int} return a negated errno ({@link #check}); functions
 * returning a pointer return NULL and set errno, which the binding captures. Besides the kernel's
 * errno values, libbpf has codes of its own from 4000 up ({@code enum libbpf_errno}), which the
 * description names too. Stateless and thread-safe.
 */
final class LibBpfErrors {
    /** libbpf's own error codes start here (enum libbpf_errno in libbpf.h). */
    private static final int LIBBPF_ERRNO_START = 4000;
    private static final String[] LIBBPF_ERRNO_SUFFIXES = {
        "LIBELF", "FORMAT", "KVERSION", "ENDIAN", "INTERNAL", "RELOC", "LOAD",
        "VERIFY", "PROG2BIG", "KVER", "PROGTYPE", "WRNGPID", "INVSEQ", "NLPARSE",
    };

    private LibBpfErrors() {
    }

    /**
     * A failed libbpf call.
     *
     * @param call the call and, where it helps, its subject, such as {@code bpf_program__attach(handle_close)}
     * @param errno the errno or libbpf code, either sign
     */
    static NativeCallException failure(String call, int errno) {
        return new NativeCallException(call, errno, describe(errno));
    }

    /**
     * Passes a libbpf return value through unless it is a negated errno.
     *
     * @return {@code result}, when not negative
     */
    static int check(String call, int result) throws NativeCallException {
        if (result < 0) {
            throw failure(call, result);
        }
        return result;
    }

    /**
     * {@code NAME (text)}, for example {@code EPERM (Operation not permitted)} or
     * {@code LIBBPF_ERRNO__FORMAT (BPF object format invalid)}; the sign is ignored.
     */
    static String describe(int errno) {
        int positive = Math.abs(errno);
        int libbpfIndex = positive - LIBBPF_ERRNO_START;
        String name = libbpfIndex >= 0 && libbpfIndex < LIBBPF_ERRNO_SUFFIXES.length
                ? "LIBBPF_ERRNO__" + LIBBPF_ERRNO_SUFFIXES[libbpfIndex]
                : LinuxErrno.name(positive).orElse("errno " + positive);
        String text = LibBpf.isAvailable() ? LibBpf.strerror(positive) : LinuxErrno.text(positive);
        return name + " (" + text + ")";
    }
}
