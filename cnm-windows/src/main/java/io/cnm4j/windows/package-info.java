/**
 * The Windows backend: {@link io.cnm4j.windows.WindowsDriverBackendProvider}, found by
 * {@link java.util.ServiceLoader}. It is the only public type; everything under
 * {@code io.cnm4j.windows.internal} is implementation (FFM bindings to kernel32, the ddnpm
 * driver protocol, the DNS capture) and may change without notice.
 */
package io.cnm4j.windows;
