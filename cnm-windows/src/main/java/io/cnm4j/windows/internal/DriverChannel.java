package io.cnm4j.windows.internal;

import java.lang.foreign.MemorySegment;

/**
 * The kernel32 calls the driver protocol needs, one method per call, with Win32 error codes as
 * values: the real implementation ({@code Kernel32DriverChannel}) links kernel32 through FFM and
 * runs only on Windows; tests replay scripted results. Handles are raw values; whoever opens one
 * wraps it in a {@link DriverHandle}, its single owner.
 *
 * <p>Implementations are thread-safe: the collector, the closed-flow waiter and the DNS thread
 * call them concurrently (on different handles, or serialized by their caller).
 */
public interface DriverChannel {
    /** {@code INFINITE} for the wait functions. */
    int INFINITE = -1;
    /** Return value of the wait functions when they fail. */
    int WAIT_FAILED = -1;

    /**
     * {@code CreateFileW(path, GENERIC_READ|GENERIC_WRITE, FILE_SHARE_READ|FILE_SHARE_WRITE, NULL,
     * OPEN_EXISTING, overlapped ? FILE_FLAG_OVERLAPPED : 0, NULL)}.
     *
     * @return the new handle
     * @throws DriverException with the error code when the file cannot be opened
     */
    long createFile(String path, boolean overlapped);

    /**
     * Synchronous {@code DeviceIoControl} ({@code lpOverlapped = NULL}); never on an overlapped
     * handle associated with a completion port (WINA-2669).
     *
     * @param input the input buffer, or {@link MemorySegment#NULL}
     * @param output the output buffer, or {@link MemorySegment#NULL}
     */
    IoctlResult deviceIoControl(long handle, int ioctl, MemorySegment input, MemorySegment output);

    /**
     * {@code DeviceIoControl} on an overlapped handle that may be tied to a completion port: a private
     * event whose low bit is set keeps the completion off the port; the call waits for it and reads
     * the result with {@code GetOverlappedResult}.
     */
    IoctlResult deviceIoControlWithEvent(long handle, int ioctl, MemorySegment input, MemorySegment output);

    /**
     * {@code CreateIoCompletionPort(handle, NULL, 0, 0)}: a new port with the handle associated.
     *
     * @throws DriverException when the port cannot be created
     */
    long createIoCompletionPort(long fileHandle);

    /**
     * {@code ReadFile(handle, buffer, size, NULL, overlapped)}.
     *
     * @return {@link Win32Error#IO_PENDING} or {@link Win32Error#SUCCESS} when the read is queued,
     *         another code when it is not
     */
    int readFile(long handle, MemorySegment buffer, MemorySegment overlapped);

    /** {@code GetQueuedCompletionStatus(port, …, timeoutMillis)}, result written into {@code out}. */
    void getQueuedCompletionStatus(long port, int timeoutMillis, CompletionStatus out);

    /** {@code CancelIoEx(handle, NULL)}: cancels every pending I/O of the handle; returns the error code. */
    int cancelIoEx(long handle);

    /**
     * {@code CreateEventW(NULL, manualReset, FALSE, name)}. Opening an existing named event is a
     * success ({@code ERROR_ALREADY_EXISTS} is expected for the driver's events).
     *
     * @param name the event name, or null for an unnamed event
     * @throws DriverException when the event cannot be created or opened
     */
    long createEvent(String name, boolean manualReset);

    /** {@code SetEvent(event)}; returns the error code. */
    int setEvent(long event);

    /**
     * {@code WaitForMultipleObjects(handles.length, handles, FALSE, timeoutMillis)}.
     *
     * @return the index of the signalled handle, {@link Win32Error#WAIT_TIMEOUT}, or {@link #WAIT_FAILED}
     */
    int waitForAny(long[] handles, int timeoutMillis);

    /** {@code CloseHandle(handle)}; a failure is logged, not thrown (nothing can be done). */
    void closeHandle(long handle);

    /** {@code GetTickCount64()}: milliseconds since the system started. */
    long tickCount64();
}
