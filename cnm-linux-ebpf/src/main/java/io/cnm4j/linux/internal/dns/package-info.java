/**
 * The Linux DNS packet source: a {@code TPACKET_V3} packet socket with a classic BPF port filter
 * ({@link io.cnm4j.linux.internal.dns.PacketSocket}), IP/transport header decoding, and
 * {@link io.cnm4j.linux.internal.dns.PacketSocketDnsCapture}, which feeds a cnm-dns processor.
 * Internal, not API.
 *
 * <p>Threads: one capture thread ({@code cnm4j-dns-capture}) owns the socket, the decoder and the
 * processor; statistics, names and telemetry are read from any thread. Ownership: the capture owns
 * its socket and mapped ring and frees them in {@code close()} once that thread has stopped; the
 * eBPF backend owns the capture.
 */
package io.cnm4j.linux.internal.dns;
