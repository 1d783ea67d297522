package io.cnm4j.core;

import java.util.Locale;
import java.util.Optional;

/** The errno values a failed TCP connection is reported with (Linux numbering). */
public enum Errno {
    /** connect() found no free local port (port exhaustion). */
    EADDRNOTAVAIL(99),
    /** Network is unreachable. */
    ENETUNREACH(101),
    /** Connection reset by peer. */
    ECONNRESET(104),
    /** Connection timed out. */
    ETIMEDOUT(110),
    /** Connection refused. */
    ECONNREFUSED(111),
    /** No route to host. */
    EHOSTUNREACH(113),
    /** Operation canceled (a connect aborted by the application). */
    ECANCELED(125);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** {@return the Linux errno number} */
    public int number() {
        return number;
    }

    /**
     * The constant for a name such as {@code "ECONNREFUSED"} (case-insensitive).
     *
     * @param name the symbolic name
     * @return the constant, or empty when the name is not tracked
     */
    public static Optional<Errno> byName(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (Errno errno : values()) {
            if (errno.name().equals(upper)) {
                return Optional.of(errno);
            }
        }
        return Optional.empty();
    }
}
