/**
 * Implementation of the Windows backend, not API. This package holds the boundary to the OS:
 * {@link io.cnm4j.windows.internal.DriverChannel} (one method per kernel32 call, error codes as
 * values) and {@link io.cnm4j.windows.internal.DriverHandle}, the single owner of each HANDLE.
 */
package io.cnm4j.windows.internal;
