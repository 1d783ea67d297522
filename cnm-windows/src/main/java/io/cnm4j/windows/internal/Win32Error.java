package io.cnm4j.windows.internal;

/**
 * The Win32 error codes the driver protocol distinguishes, as {@code GetLastError} returns them,
 * and their names for messages. Stateless.
 */
public final class Win32Error {
    public static final int SUCCESS = 0;
    public static final int FILE_NOT_FOUND = 2;
    public static final int PATH_NOT_FOUND = 3;
    public static final int ACCESS_DENIED = 5;
    public static final int INVALID_PARAMETER = 87;
    public static final int INSUFFICIENT_BUFFER = 122;
    public static final int ALREADY_EXISTS = 183;
    public static final int MORE_DATA = 234;
    /** Also the {@code WAIT_TIMEOUT} return value of the wait functions. */
    public static final int WAIT_TIMEOUT = 258;
    public static final int NO_MORE_ITEMS = 259;
    public static final int OPERATION_ABORTED = 995;
    public static final int IO_PENDING = 997;

    private Win32Error() {
    }

    /** {@code ERROR_MORE_DATA (234)} style text for a code. */
    public static String describe(int code) {
        String name = switch (code) {
            case SUCCESS -> "ERROR_SUCCESS";
            case FILE_NOT_FOUND -> "ERROR_FILE_NOT_FOUND";
            case PATH_NOT_FOUND -> "ERROR_PATH_NOT_FOUND";
            case ACCESS_DENIED -> "ERROR_ACCESS_DENIED";
            case INVALID_PARAMETER -> "ERROR_INVALID_PARAMETER";
            case INSUFFICIENT_BUFFER -> "ERROR_INSUFFICIENT_BUFFER";
            case ALREADY_EXISTS -> "ERROR_ALREADY_EXISTS";
            case MORE_DATA -> "ERROR_MORE_DATA";
            case WAIT_TIMEOUT -> "WAIT_TIMEOUT";
            case NO_MORE_ITEMS -> "ERROR_NO_MORE_ITEMS";
            case OPERATION_ABORTED -> "ERROR_OPERATION_ABORTED";
            case IO_PENDING -> "ERROR_IO_PENDING";
            default -> "error";
        };
        return name + " (" + code + ")";
    }
}
