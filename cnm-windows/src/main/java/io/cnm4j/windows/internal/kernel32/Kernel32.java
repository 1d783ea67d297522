package io.cnm4j.windows.internal.kernel32;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.cnm4j.core.internal.ffm.CapturedError;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * FFM bindings to the kernel32 functions the driver protocol uses, one lazily linked holder class
 * per function: loading this class (its descriptors) never touches kernel32, so it loads on any
 * OS; a holder links its function the first time it is called, and only on Windows, through the
 * shared FFM helper ({@link NativeLibrary}). Calls that can fail capture {@code GetLastError}
 * ({@link CapturedError#LAST_ERROR}) into a call-state segment supplied by the caller
 * ({@link #allocateCallState}).
 *
 * <p>Types follow the Win32 x64 ABI (LLP64): HANDLE and pointers are {@code ADDRESS}, DWORD and BOOL
 * {@code JAVA_INT}, ULONG_PTR and ULONGLONG {@code JAVA_LONG}. Stateless and thread-safe.
 */
final class Kernel32 {
    /** {@code HANDLE CreateFileW(LPCWSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE)}. */
    public static final FunctionDescriptor CREATE_FILE_W = FunctionDescriptor.of(ADDRESS,
            ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    /** {@code BOOL DeviceIoControl(HANDLE, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPOVERLAPPED)}. */
    public static final FunctionDescriptor DEVICE_IO_CONTROL = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    /** {@code BOOL ReadFile(HANDLE, LPVOID, DWORD, LPDWORD, LPOVERLAPPED)}. */
    public static final FunctionDescriptor READ_FILE = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    /** {@code HANDLE CreateIoCompletionPort(HANDLE, HANDLE, ULONG_PTR, DWORD)}. */
    public static final FunctionDescriptor CREATE_IO_COMPLETION_PORT = FunctionDescriptor.of(ADDRESS,
            ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    /** {@code BOOL GetQueuedCompletionStatus(HANDLE, LPDWORD, PULONG_PTR, LPOVERLAPPED *, DWORD)}. */
    public static final FunctionDescriptor GET_QUEUED_COMPLETION_STATUS = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
    /** {@code BOOL CancelIoEx(HANDLE, LPOVERLAPPED)}. */
    public static final FunctionDescriptor CANCEL_IO_EX = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    /** {@code HANDLE CreateEventW(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCWSTR)}. */
    public static final FunctionDescriptor CREATE_EVENT_W = FunctionDescriptor.of(ADDRESS,
            ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    /** {@code BOOL SetEvent(HANDLE)}. */
    public static final FunctionDescriptor SET_EVENT = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    /** {@code DWORD WaitForMultipleObjects(DWORD, const HANDLE *, BOOL, DWORD)}. */
    public static final FunctionDescriptor WAIT_FOR_MULTIPLE_OBJECTS = FunctionDescriptor.of(JAVA_INT,
            JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    /** {@code DWORD WaitForSingleObject(HANDLE, DWORD)}. */
    public static final FunctionDescriptor WAIT_FOR_SINGLE_OBJECT = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT);
    /** {@code BOOL GetOverlappedResult(HANDLE, LPOVERLAPPED, LPDWORD, BOOL)}. */
    public static final FunctionDescriptor GET_OVERLAPPED_RESULT = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
    /** {@code BOOL CloseHandle(HANDLE)}. */
    public static final FunctionDescriptor CLOSE_HANDLE = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    /** {@code ULONGLONG GetTickCount64(void)}. */
    public static final FunctionDescriptor GET_TICK_COUNT_64 = FunctionDescriptor.of(JAVA_LONG);

    /** Every bound function with its descriptor, by Win32 name. */
    public static final Map<String, FunctionDescriptor> DESCRIPTORS = descriptors();

    private Kernel32() {
    }

    /** True when running on Windows, the only OS where the holders link. */
    public static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** A segment a call writes {@code GetLastError} into, freed with {@code arena}. */
    public static MemorySegment allocateCallState(Arena arena) {
        return CapturedError.allocateState(arena);
    }

    private static Map<String, FunctionDescriptor> descriptors() {
        Map<String, FunctionDescriptor> all = new LinkedHashMap<>();
        all.put("CreateFileW", CREATE_FILE_W);
        all.put("DeviceIoControl", DEVICE_IO_CONTROL);
        all.put("ReadFile", READ_FILE);
        all.put("CreateIoCompletionPort", CREATE_IO_COMPLETION_PORT);
        all.put("GetQueuedCompletionStatus", GET_QUEUED_COMPLETION_STATUS);
        all.put("CancelIoEx", CANCEL_IO_EX);
        all.put("CreateEventW", CREATE_EVENT_W);
        all.put("SetEvent", SET_EVENT);
        all.put("WaitForMultipleObjects", WAIT_FOR_MULTIPLE_OBJECTS);
        all.put("WaitForSingleObject", WAIT_FOR_SINGLE_OBJECT);
        all.put("GetOverlappedResult", GET_OVERLAPPED_RESULT);
        all.put("CloseHandle", CLOSE_HANDLE);
        all.put("GetTickCount64", GET_TICK_COUNT_64);
        return Map.copyOf(all);
    }

    /** Links one function; fails with a plain message off Windows instead of probing for kernel32. */
    static MethodHandle link(String name, FunctionDescriptor descriptor, boolean captureLastError) {
        if (!isWindows()) {
            throw new UnsupportedOperationException("kernel32 " + name + " is only available on Windows");
        }
        return captureLastError
                ? Library.KERNEL32.downcall(name, descriptor, CapturedError.LAST_ERROR)
                : Library.KERNEL32.downcall(name, descriptor);
    }

    /** Reads the captured {@code GetLastError} value. */
    static int lastError(MemorySegment callState) {
        return CapturedError.LAST_ERROR.read(callState);
    }

    private static final class Library {
        static final NativeLibrary KERNEL32 = NativeLibrary.system("kernel32");
    }

    static final class CreateFileW {
        static final MethodHandle HANDLE = link("CreateFileW", CREATE_FILE_W, true);
    }

    static final class DeviceIoControl {
        static final MethodHandle HANDLE = link("DeviceIoControl", DEVICE_IO_CONTROL, true);
    }

    static final class ReadFile {
        static final MethodHandle HANDLE = link("ReadFile", READ_FILE, true);
    }

    static final class CreateIoCompletionPort {
        static final MethodHandle HANDLE = link("CreateIoCompletionPort", CREATE_IO_COMPLETION_PORT, true);
    }

    static final class GetQueuedCompletionStatus {
        static final MethodHandle HANDLE = link("GetQueuedCompletionStatus", GET_QUEUED_COMPLETION_STATUS, true);
    }

    static final class CancelIoEx {
        static final MethodHandle HANDLE = link("CancelIoEx", CANCEL_IO_EX, true);
    }

    static final class CreateEventW {
        static final MethodHandle HANDLE = link("CreateEventW", CREATE_EVENT_W, true);
    }

    static final class SetEvent {
        static final MethodHandle HANDLE = link("SetEvent", SET_EVENT, true);
    }

    static final class WaitForMultipleObjects {
        static final MethodHandle HANDLE = link("WaitForMultipleObjects", WAIT_FOR_MULTIPLE_OBJECTS, true);
    }

    static final class WaitForSingleObject {
        static final MethodHandle HANDLE = link("WaitForSingleObject", WAIT_FOR_SINGLE_OBJECT, true);
    }

    static final class GetOverlappedResult {
        static final MethodHandle HANDLE = link("GetOverlappedResult", GET_OVERLAPPED_RESULT, true);
    }

    static final class CloseHandle {
        static final MethodHandle HANDLE = link("CloseHandle", CLOSE_HANDLE, true);
    }

    static final class GetTickCount64 {
        static final MethodHandle HANDLE = link("GetTickCount64", GET_TICK_COUNT_64, false);
    }
}
