/**
 * DNS monitoring independent of how packets are captured, put together by
 * {@link io.cnm4j.dns.internal.DnsTrafficProcessor}: the wire parser, query/response matching
 * against a pending-query table, the recent-query table that recognises a NAT'd copy of a query, per-domain statistics, the reverse-resolution cache and
 * DNS-over-TCP reassembly. Internal, not API: exported only to the backends that feed it packets
 * (io.cnm4j.linux, io.cnm4j.windows); types are public only where those backends or the
 * benchmarks use them.
 * <p>Threads: the processor, parser, matcher and reassemblers are confined to the one capture
 * thread that feeds them; {@link io.cnm4j.dns.internal.DnsStatsKeeper#drain()}, the reverse cache
 * and the processor's telemetry may be read from any thread. Ownership: views such as
 * {@link io.cnm4j.dns.internal.DnsMessage} and {@link io.cnm4j.dns.internal.CompletedDnsQuery} are
 * refilled in place and valid only until the next message; copy what you keep. Each object is
 * owned by one processor; nothing here holds native resources.
 */
package io.cnm4j.dns.internal;
