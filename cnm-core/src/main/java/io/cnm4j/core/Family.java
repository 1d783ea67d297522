package io.cnm4j.core;

/** Address family of a connection. */
public enum Family {
    /** IPv4. */
    V4,
    /** IPv6. */
    V6;

    /** {@return lower-case name as used in the JSON lines ({@code "v4"}, {@code "v6"})} */
    public String jsonName() {
        return this == V4 ? "v4" : "v6";
    }
}
