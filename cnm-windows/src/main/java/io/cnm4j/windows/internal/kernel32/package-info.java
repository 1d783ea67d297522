/**
 * FFM bindings to kernel32 and the real {@link io.cnm4j.windows.internal.DriverChannel}; they
 * link only on Windows, but the classes load anywhere.
 */
package io.cnm4j.windows.internal.kernel32;
