package io.cnm4j.core.spi;

import java.util.Objects;

/**
 * Whether a backend can run on this host, and why not.
 *
 * @param available true when the backend can be opened
 * @param reason one sentence: what is missing and what to do, or how it will run
 */
public record Availability(boolean available, String reason) {
    /**
     * Creates an instance from its components.
     */
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The backend can run.
     *
     * @param how what it will use (shown in capabilities)
     * @return the availability
     */
    public static Availability available(String how) {
        return new Availability(true, how);
    }

    /**
     * The backend cannot run.
     *
     * @param why the reason, one sentence
     * @return the unavailability
     */
    public static Availability unavailable(String why) {
        return new Availability(false, why);
    }
}
