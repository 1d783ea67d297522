/**
 * The shared native boundary of the Linux module: one way to bind a libc function with errno
 * captured ({@link io.cnm4j.linux.internal.nativeio.NativeBinding}), the libc calls the netlink
 * code uses ({@link io.cnm4j.linux.internal.nativeio.Libc}) and one exception naming the failed
 * call and its errno. Stateless; the call-state segments belong to the callers, one thread at a
 * time each. Internal, not API.
 */
package io.cnm4j.linux.internal.nativeio;
