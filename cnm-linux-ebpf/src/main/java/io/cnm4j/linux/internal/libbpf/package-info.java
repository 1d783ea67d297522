/**
 * FFM bindings to libbpf and the libc calls it needs: loading a BPF object, attaching its
 * programs, batch-reading maps and polling a ring buffer. Internal, not API.
 *
 * <p>Threads: a {@link io.cnm4j.linux.internal.libbpf.BpfObject} and its maps are used by the
 * collector under the monitor's lock; a {@link io.cnm4j.linux.internal.libbpf.RingBufferReader}
 * by its one poller thread. Ownership: the {@code BpfObject} owns the native {@code bpf_object*}
 * with its programs, maps and links; each wrapper has one close path and closing twice is
 * harmless.
 */
package io.cnm4j.linux.internal.libbpf;
