package io.cnm4j.core;

/** Transport protocol of a connection. */
public enum Protocol {
    TCP,
    UDP;

    /** Lower-case name as used in the JSON lines ({@code "tcp"}, {@code "udp"}). */
    public String jsonName() {
        return this == TCP ? "tcp" : "udp";
    }
}
