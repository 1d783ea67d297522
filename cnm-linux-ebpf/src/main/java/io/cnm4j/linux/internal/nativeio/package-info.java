/**
 * The libc calls of the Linux module ({@link io.cnm4j.linux.internal.nativeio.Libc}): sockets,
 * namespaces, files, memory mappings and log formatting, bound through the shared FFM helper
 * {@code io.cnm4j.core.internal.ffm}, which also gives the one exception type for failed calls.
 * Stateless; the call-state segments belong to the callers, one thread at a time each. Internal,
 * not API.
 */
package io.cnm4j.linux.internal.nativeio;
