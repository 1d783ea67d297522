package io.cnm4j.core;

/** Capabilities a backend may or may not provide on a given host. */
public enum Feature {
    TCP,
    UDP,
    IPV6,
    TCP_RTT,
    TCP_RETRANSMITS,
    TCP_FAILURES,
    PROCESS_ID,
    NETWORK_NAMESPACE,
    DNS,
    NAT
}
