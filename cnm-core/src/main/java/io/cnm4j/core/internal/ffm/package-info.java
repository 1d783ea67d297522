/**
 * The one native boundary helper of cnm4j, shared by the Linux module (libbpf, libc, netlink, the
 * packet socket) and the Windows module (kernel32): symbol lookup and downcall binding
 * ({@link io.cnm4j.core.internal.ffm.NativeLibrary}), the error number a failing call leaves,
 * captured right after the call ({@link io.cnm4j.core.internal.ffm.CapturedError}), one exception
 * naming the failed call and its error ({@link io.cnm4j.core.internal.ffm.NativeCallException}),
 * and offsets read from declared struct layouts ({@link io.cnm4j.core.internal.ffm.StructOffsets}).
 *
 * <p>Threads: everything here is stateless and thread-safe; a call-state segment belongs to its
 * caller and serves one call at a time. Ownership: the helpers allocate nothing the caller must
 * free, except segments in an arena the caller passes. Internal, not API: exported only to the
 * backend modules and may change without notice.
 */
package io.cnm4j.core.internal.ffm;
