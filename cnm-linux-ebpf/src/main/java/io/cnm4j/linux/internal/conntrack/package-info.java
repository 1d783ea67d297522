/**
 * NAT through netlink conntrack ({@code NETLINK_NETFILTER}, ctnetlink): per network namespace,
 * an initial dump then new/destroy events, translated entries only, in a bounded table; every
 * loss (eviction, sampling, socket overrun, malformed message) is counted. One thread,
 * {@code cnm4j-conntrack}, owns the sockets; lookups come from the collecting thread.
 * {@link io.cnm4j.linux.internal.conntrack.NatEnrichedBackend} adds it to any backend. Internal.
 */
package io.cnm4j.linux.internal.conntrack;
