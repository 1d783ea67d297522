package io.cnm4j.windows.internal.protocol;

/**
 * The driver's IOCTL codes, computed with the Windows {@code CTL_CODE} macro from device type
 * {@code FILE_DEVICE_NETWORK}, a function number and a transfer method ({@code FILE_ANY_ACCESS}).
 * The flow reads use {@code METHOD_OUT_DIRECT}; everything else {@code METHOD_BUFFERED}.
 */
public enum IoctlCode {
    GETSTATS(0x801, IoctlCode.METHOD_BUFFERED),
    SET_DATA_FILTER(0x803, IoctlCode.METHOD_BUFFERED),
    SET_FLOW_FILTER(0x804, IoctlCode.METHOD_BUFFERED),
    SET_MAX_OPEN_FLOWS(0x809, IoctlCode.METHOD_BUFFERED),
    SET_MAX_CLOSED_FLOWS(0x80A, IoctlCode.METHOD_BUFFERED),
    GET_OPEN_FLOWS(0x80D, IoctlCode.METHOD_OUT_DIRECT),
    GET_CLOSED_FLOWS(0x80E, IoctlCode.METHOD_OUT_DIRECT),
    SET_CLOSED_FLOWS_NOTIFY(0x80F, IoctlCode.METHOD_BUFFERED);

    public static final int FILE_DEVICE_NETWORK = 0x12;
    public static final int FILE_ANY_ACCESS = 0;
    public static final int METHOD_BUFFERED = 0;
    public static final int METHOD_OUT_DIRECT = 2;

    private final int function;
    private final int method;
    private final int code;

    IoctlCode(int function, int method) {
        this.function = function;
        this.method = method;
        this.code = ctlCode(FILE_DEVICE_NETWORK, function, method, FILE_ANY_ACCESS);
    }

    /** {@code CTL_CODE(DeviceType, Function, Method, Access)} from {@code winioctl.h}. */
    public static int ctlCode(int deviceType, int function, int method, int access) {
        return (deviceType << 16) | (access << 14) | (function << 2) | method;
    }

    /** The value passed as {@code dwIoControlCode}. */
    public int code() {
        return code;
    }

    public int function() {
        return function;
    }

    public int method() {
        return method;
    }
}
