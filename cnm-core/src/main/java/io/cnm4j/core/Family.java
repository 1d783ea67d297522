package io.cnm4j.core;

/** Address family of a connection. */
public enum Family {
    V4,
    V6;

    /** Lower-case name as used in the JSON lines ({@code "v4"}, {@code "v6"}). */
    public String jsonName() {
        return this == V4 ? "v4" : "v6";
    }
}
