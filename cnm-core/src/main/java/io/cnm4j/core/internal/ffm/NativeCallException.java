package io.cnm4j.core.internal.ffm;

/**
 * A native call failed. The message names the call and its error, for example
 * {@code setns failed: EPERM (Operation not permitted)}, so that a log line or a capability report
 * alone says what went wrong; {@link #errno()} lets a caller react to a specific cause (EPERM: not
 * privileged, fall back).
 *
 * <p>Immutable.
 */
public final class NativeCallException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * A failure reported through errno, described by the C library ({@link LinuxErrno#describe}).
     *
     * @param call the call and, where it helps, its subject, such as {@code bpf_program__attach(handle_close)}
     * @param errno the error number, either sign: some libraries return it negated
     */
    public NativeCallException(String call, int errno) {
        this(call, errno, LinuxErrno.describe(errno));
    }

    /**
     * A failure whose error the caller describes: a library's own error codes, or a reason without
     * an error number (then {@code errno} is 0).
     */
    public NativeCallException(String call, int errno, String description) {
        super(call + " failed: " + description);
        this.call = call;
        this.errno = Math.abs(errno);
    }

    /** The call that failed, with its subject when it has one. */
    public String call() {
        return call;
    }

    /** The positive error number, or 0 when the failure has none. */
    public int errno() {
        return errno;
    }
}
