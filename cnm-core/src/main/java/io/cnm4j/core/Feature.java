package io.cnm4j.core;

/** Capabilities a backend may or may not provide on a given host. */
public enum Feature {
    /** TCP connections with byte and packet counts. */
    TCP,
    /** UDP flows with byte and packet counts. */
    UDP,
    /** IPv6 flows besides IPv4. */
    IPV6,
    /** TCP round-trip time and its variance. */
    TCP_RTT,
    /** TCP retransmit counts. */
    TCP_RETRANSMITS,
    /** Failed TCP connections with their errno. */
    TCP_FAILURES,
    /** The process that owns each socket. */
    PROCESS_ID,
    /** The network namespace of each socket. */
    NETWORK_NAMESPACE,
    /** DNS statistics and the names of remote addresses. */
    DNS,
/** Translated tuples of connections NATed by conntrack. */
    NAT
}
