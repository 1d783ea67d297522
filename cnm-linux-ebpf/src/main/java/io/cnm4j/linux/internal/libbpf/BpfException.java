package io.cnm4j.linux.internal.libbpf;

/**
 * A libbpf or BPF system call failed. The message names the call and the errno, for example
 * {@code bpf_object__load failed: EPERM (Operation not permitted)}, so a log line alone says what
 * went wrong; {@link #errno()} lets a caller react to a specific cause (for example EPERM: not
 * privileged, fall back to another backend).
 *
 * <p>Immutable.
 */
public final class BpfException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    private BpfException(String call, int errno, String message) {
        super(message);
        this.call = call;
        this.errno = errno;
    }

    /**
     * A failure reported through errno.
     *
     * @param call the native call and, where it helps, its subject, such as {@code bpf_program__attach(handle_close)}
     * @param errno the errno, either sign: libbpf returns negated values
     */
    static BpfException ofErrno(String call, int errno) {
        int positive = Math.abs(errno);
        return new BpfException(call, positive, call + " failed: " + Errno.describe(positive));
    }

    /** A failure through errno with what libbpf said about it, such as the verifier's verdict. */
    static BpfException ofErrno(String call, int errno, String detail) {
        int positive = Math.abs(errno);
        return new BpfException(call, positive, call + " failed: " + Errno.describe(positive) + ": " + detail);
    }

    /** A failure without an errno, such as libbpf missing from the system. */
    static BpfException withoutErrno(String call, String reason) {
        return new BpfException(call, 0, call + " failed: " + reason);
    }

    /**
     * Passes a libbpf return value through unless it is a negated errno.
     *
     * @return {@code result}, when not negative
     */
    static int check(String call, int result) throws BpfException {
        if (result < 0) {
            throw ofErrno(call, result);
        }
        return result;
    }

    /** The native call that failed, with its subject when it has one. */
    public String call() {
        return call;
    }

    /** The positive errno, or 0 when the failure has none. */
    public int errno() {
        return errno;
    }
}
