/**
 * Internals of the DNS parser and matcher: name decoding, CNAME-chain resolution, the pending-query
 * and recent-query (NAT copy) tables and IPv6-as-two-longs helpers. Internal, not API. Threads:
 * each instance is confined to the capture thread that owns its processor, except
 * {@link io.cnm4j.dns.internal.Ipv6Bits}, which is stateless. Ownership: owned by one processor; no
 * native resources.
 */
package io.cnm4j.dns.internal;
