/**
 * The eBPF backend ({@link io.cnm4j.linux.internal.EbpfBackend}): host checks, the shipped and
 * digest-checked BPF object, in-place decoding of kernel records, direction resolution and the
 * UDP peer-limit log. Internal, not API (some types are public only for the benchmarks).
 *
 * <p>Threads: the ring-buffer poller ({@code cnm4j-ebpf-ringbuf}) decodes closed connections and
 * publishes them to the monitor's sink; the monitor's collector reads the live maps under its
 * lock; classes shared by both say so. Ownership: the backend owns the BPF object (and through it
 * every program, map, link and the ring buffer), its arena and the DNS capture, and frees them all
 * in {@code close()}.
 */
package io.cnm4j.linux.internal;
