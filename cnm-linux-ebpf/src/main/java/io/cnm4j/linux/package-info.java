/**
 * The Linux backends, found by {@link java.util.ServiceLoader}:
 * {@link io.cnm4j.linux.LinuxEbpfBackendProvider} ({@code linux-ebpf}) and the capability-free
 * fallback {@link io.cnm4j.linux.LinuxSockDiagBackendProvider} ({@code linux-sockdiag}). API: these
 * providers only; everything under {@code io.cnm4j.linux.internal} is implementation.
 *
 * <p>Threads: providers are stateless and safe from any thread. Ownership: the backend a provider
 * opens owns every native resource (BPF object, sockets, arenas) and is owned and closed by the
 * monitor.
 */
package io.cnm4j.linux;
