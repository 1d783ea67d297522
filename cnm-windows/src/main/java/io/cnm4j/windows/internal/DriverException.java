package io.cnm4j.windows.internal;

/**
 * A call to the driver or to kernel32 failed, or the driver answered with something the protocol
 * does not allow. Names the call and carries the Win32 error code (0 when the failure is a
 * protocol violation rather than an error code).
 */
public final class DriverException extends RuntimeException {
    private final String call;
    private final int win32Error;

    public DriverException(String call, int win32Error) {
        super(call + " failed: " + Win32Error.describe(win32Error));
        this.call = call;
        this.win32Error = win32Error;
    }

    public DriverException(String call, String problem) {
        super(call + ": " + problem);
        this.call = call;
        this.win32Error = 0;
    }

    /** The failed call, such as {@code "DeviceIoControl(GET_OPEN_FLOWS)"}. */
    public String call() {
        return call;
    }

    /** The Win32 error code, or 0 for a protocol violation. */
    public int win32Error() {
        return win32Error;
    }
}
