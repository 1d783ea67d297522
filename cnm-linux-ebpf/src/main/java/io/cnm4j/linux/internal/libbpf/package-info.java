/**
 * FFM bindings to libbpf, through the shared helper {@code io.cnm4j.core.internal.ffm}: loading a
 * BPF object, attaching its programs, batch-reading maps and polling a ring buffer. Failures are
 * {@code NativeCallException}s named by {@link io.cnm4j.linux.internal.libbpf.LibBpfErrors}.
 * Internal, not API.
 *
 * <p>Threads: a {@link io.cnm4j.linux.internal.libbpf.BpfObject} and its maps are used by the
 * collector under the monitor's lock; a {@link io.cnm4j.linux.internal.libbpf.RingBufferReader}
 * by its one poller thread. Ownership: the {@code BpfObject} owns the native {@code bpf_object*}
 * with its programs, maps and links, and is the only closer of the ring-buffer readers and
 * map-entry readers it opens; each has one close path and closing twice is harmless.
 */
package io.cnm4j.linux.internal.libbpf;
