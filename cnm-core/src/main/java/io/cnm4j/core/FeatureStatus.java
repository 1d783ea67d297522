package io.cnm4j.core;

import java.util.Objects;

/**
 * Whether a feature works, and why not when it does not.
 *
 * @param enabled true when the feature is on
 * @param reason why it is off (or a note on how it works), never null
 */
public record FeatureStatus(boolean enabled, String reason) {
    /**
     * Creates an instance from its components.
     */
    public FeatureStatus {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The feature is on.
     *
     * @param how how the backend provides it
     * @return the status
     */
    public static FeatureStatus on(String how) {
        return new FeatureStatus(true, how);
    }

    /**
     * The feature is off for the given reason.
     *
     * @param why the reason
     * @return the status
     */
    public static FeatureStatus off(String why) {
        return new FeatureStatus(false, why);
    }
}
