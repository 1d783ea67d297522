package io.cnm4j.linux.internal.nativeio;

/**
 * Names of the errno values the native layer reacts to (generic Linux ABI, shared by x86_64 and
 * aarch64), and their description. Stateless and thread-safe.
 */
public final class ErrnoNames {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOBUFS = 105;
    public static final int EOPNOTSUPP = 95;
    public static final int EPROTONOSUPPORT = 93;

    private ErrnoNames() {
    }

    /** {@code NAME (text)}, for example {@code EPERM (Operation not permitted)}. */
    public static String describe(int errno) {
        return name(errno) + " (" + Libc.strerror(errno) + ")";
    }

    static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EAGAIN -> "EAGAIN";
            case EACCES -> "EACCES";
            case EINVAL -> "EINVAL";
            case ENOBUFS -> "ENOBUFS";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            default -> "errno " + errno;
        };
    }
}
