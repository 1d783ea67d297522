package io.cnm4j.tagging.internal;

/** Checks shared by the taggers' builders. Stateless. */
public final class Settings {
    private Settings() {
    }

    /** The value, when at least 1. */
    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
