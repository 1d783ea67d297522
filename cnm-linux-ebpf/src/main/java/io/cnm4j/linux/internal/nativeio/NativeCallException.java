package io.cnm4j.linux.internal.nativeio;

/**
 * A libc call failed: names the call and the errno it set, so callers react to the errno
 * ({@link #errno()}) and users read one sentence ({@code "setns failed: EPERM (Operation not
 * permitted)"}).
 */
public final class NativeCallException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public NativeCallException(String call, int errno) {
        super(call + " failed: " + ErrnoNames.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The libc function that failed, such as {@code "bind"}. */
    public String call() {
        return call;
    }

    /** The positive errno the call set. */
    public int errno() {
        return errno;
    }
}
