package io.cnm4j.linux.internal.dns;

/**
 * A system call on the DNS packet socket failed. The message names the call and the errno, for
 * example {@code socket(AF_PACKET, SOCK_RAW) failed: EPERM (Operation not permitted)}, so that a
 * capability report can quote it as the reason DNS capture is off; {@link #errno()} lets a caller
 * react to a specific cause (EPERM: the process lacks CAP_NET_RAW).
 *
 * <p>Immutable.
 */
public final class PacketSocketException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    PacketSocketException(String call, int errno) {
        super(call + " failed: " + PacketSocketNative.describeErrno(errno));
        this.call = call;
        this.errno = errno;
    }

    /** The system call that failed, with its main arguments. */
    public String call() {
        return call;
    }

    /** The positive errno the call reported. */
    public int errno() {
        return errno;
    }
}
