package io.cnm4j.core;

/** Transport protocol of a connection. */
public enum Protocol {
    /** TCP. */
    TCP,
    /** UDP. */
    UDP;

    /** {@return lower-case name as used in the JSON lines ({@code "tcp"}, {@code "udp"})} */
    public String jsonName() {
        return this == TCP ? "tcp" : "udp";
    }
}
