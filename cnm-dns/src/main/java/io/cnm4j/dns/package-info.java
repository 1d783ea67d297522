/**
 * DNS monitoring independent of how packets are captured: the wire parser
 * ({@link io.cnm4j.dns.DnsMessageParser}), query/response matching, per-domain statistics, the
 * reverse-resolution cache and DNS-over-TCP reassembly, put together by
 * {@link io.cnm4j.dns.DnsTrafficProcessor}. API for packet-source modules (cnm-linux-ebpf,
 * cnm-windows).
 *
 * <p>Threads: the processor, parser, matcher and reassemblers are confined to the one capture
 * thread that feeds them; {@link io.cnm4j.dns.DnsStatsKeeper#drain()}, the reverse cache and the
 * processor's telemetry may be read from any thread. Ownership: views such as
 * {@link io.cnm4j.dns.DnsMessage} and {@link io.cnm4j.dns.CompletedDnsQuery} are refilled in place
 * and valid only until the next message; copy what you keep. Nothing here holds native resources.
 */
package io.cnm4j.dns;
