package io.cnm4j.windows.internal;

/**
 * What one {@code DeviceIoControl} returned.
 *
 * @param error the Win32 error code, {@link Win32Error#SUCCESS} when the call succeeded
 * @param bytesReturned bytes the driver wrote into the output buffer (filled even with
 *        {@link Win32Error#MORE_DATA} on a synchronous handle)
 */
public record IoctlResult(int error, long bytesReturned) {
    /** A success with this many output bytes. */
    public static IoctlResult ok(long bytes) {
        return new IoctlResult(Win32Error.SUCCESS, bytes);
    }

    /** A failure with no output. */
    public static IoctlResult failed(int error) {
        return new IoctlResult(error, 0);
    }
}
