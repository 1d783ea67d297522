/**
 * DNS monitoring for the packet-capturing backends: the wire parser, query/response matching,
 * per-domain statistics, the reverse-resolution cache and DNS-over-TCP reassembly. No API: its one
 * package is exported only to the backends that feed it packets.
 */
module io.cnm4j.dns {
    requires transitive io.cnm4j.core;

    exports io.cnm4j.dns.internal to io.cnm4j.linux, io.cnm4j.windows;
}
