package io.cnm4j.core;

import java.util.Locale;
import java.util.Optional;

/** The errno values a failed TCP connection is reported with (Linux numbering). */
public enum Errno {
    /** connect() found no free local port (port exhaustion). */
    EADDRNOTAVAIL(99),
    ENETUNREACH(101),
    ECONNRESET(104),
    ETIMEDOUT(110),
    ECONNREFUSED(111),
    EHOSTUNREACH(113),
    ECANCELED(125);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The Linux errno number. */
    public int number() {
        return number;
    }

    /** The constant for a name such as {@code "ECONNREFUSED"} (case-insensitive). */
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
