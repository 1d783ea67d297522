package io.cnm4j.windows.internal.kernel32;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.cnm4j.core.internal.ffm.NativeLibrary;
import io.cnm4j.windows.internal.CompletionStatus;
import io.cnm4j.windows.internal.DriverChannel;
import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.IoctlResult;
import io.cnm4j.windows.internal.Win32Error;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link DriverChannel}: every method is one kernel32 call (two or three for the
 * event-based IOCTL), with {@code GetLastError} captured right after it. Scratch memory for
 * out-parameters comes from a confined arena per call. Usable on Windows only; constructing it
 * elsewhere fails with a plain message. Stateless and thread-safe.
 */
public final class Kernel32DriverChannel implements DriverChannel {
    private static final Logger LOG = LoggerFactory.getLogger(Kernel32DriverChannel.class);
    private static final int GENERIC_READ_WRITE = 0xC0000000;
    private static final int FILE_SHARE_READ_WRITE = 0x3;
    private static final int OPEN_EXISTING = 3;
    private static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    private static final long INVALID_HANDLE_VALUE = -1;
    private static final int OVERLAPPED_SIZE = 32;
    private static final int OVERLAPPED_EVENT_OFFSET = 24;
    private static final int WAIT_OBJECT_0 = 0;

    public Kernel32DriverChannel() {
        if (!Kernel32.isWindows()) {
            throw new UnsupportedOperationException("the kernel32 driver channel runs only on Windows");
        }
    }

    @Override
    public long createFile(String path, boolean overlapped) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment handle = (MemorySegment) Kernel32.CreateFileW.HANDLE.invokeExact(state,
                    arena.allocateFrom(path, StandardCharsets.UTF_16LE), GENERIC_READ_WRITE, FILE_SHARE_READ_WRITE,
                    MemorySegment.NULL, OPEN_EXISTING, overlapped ? FILE_FLAG_OVERLAPPED : 0, MemorySegment.NULL);
            if (handle.address() == INVALID_HANDLE_VALUE) {
                throw new DriverException("CreateFileW(" + path + ")", Kernel32.lastError(state));
            }
            return handle.address();
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public IoctlResult deviceIoControl(long handle, int ioctl, MemorySegment input, MemorySegment output) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment returned = arena.allocate(JAVA_INT);
            int ok = (int) Kernel32.DeviceIoControl.HANDLE.invokeExact(state, MemorySegment.ofAddress(handle), ioctl,
                    input, (int) input.byteSize(), output, (int) output.byteSize(), returned, MemorySegment.NULL);
            // On a synchronous handle the count is filled even with ERROR_MORE_DATA; the flow loop needs it.
            long bytes = Integer.toUnsignedLong(returned.get(JAVA_INT, 0));
            return new IoctlResult(ok != 0 ? Win32Error.SUCCESS : Kernel32.lastError(state), bytes);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public IoctlResult deviceIoControlWithEvent(long handle, int ioctl, MemorySegment input, MemorySegment output) {
        long event = createEvent(null, true);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment overlapped = arena.allocate(OVERLAPPED_SIZE, 8);
            // The low bit keeps this completion off the completion port, whose loop expects only reads.
            overlapped.set(JAVA_LONG, OVERLAPPED_EVENT_OFFSET, event | 1);
            MemorySegment started = arena.allocate(JAVA_INT);
            int ok = (int) Kernel32.DeviceIoControl.HANDLE.invokeExact(state, MemorySegment.ofAddress(handle), ioctl,
                    input, (int) input.byteSize(), output, (int) output.byteSize(), started, overlapped);
            if (ok != 0) {
                return IoctlResult.ok(Integer.toUnsignedLong(started.get(JAVA_INT, 0)));
            }
            int error = Kernel32.lastError(state);
            if (error != Win32Error.IO_PENDING) {
                return IoctlResult.failed(error);
            }
            int waited = (int) Kernel32.WaitForSingleObject.HANDLE.invokeExact(state, MemorySegment.ofAddress(event),
                    INFINITE);
            if (waited != WAIT_OBJECT_0) {
                return IoctlResult.failed(Kernel32.lastError(state));
            }
            // The completion's count, kept apart from the initiating call's.
            MemorySegment completed = arena.allocate(JAVA_INT);
            int done = (int) Kernel32.GetOverlappedResult.HANDLE.invokeExact(state, MemorySegment.ofAddress(handle),
                    overlapped, completed, 0);
            long bytes = Integer.toUnsignedLong(completed.get(JAVA_INT, 0));
            return new IoctlResult(done != 0 ? Win32Error.SUCCESS : Kernel32.lastError(state), bytes);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        } finally {
            closeHandle(event);
        }
    }

    @Override
    public long createIoCompletionPort(long fileHandle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment port = (MemorySegment) Kernel32.CreateIoCompletionPort.HANDLE.invokeExact(state,
                    MemorySegment.ofAddress(fileHandle), MemorySegment.NULL, 0L, 0);
            if (port.address() == 0) {
                throw new DriverException("CreateIoCompletionPort", Kernel32.lastError(state));
            }
            return port.address();
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public int readFile(long handle, MemorySegment buffer, MemorySegment overlapped) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            int ok = (int) Kernel32.ReadFile.HANDLE.invokeExact(state, MemorySegment.ofAddress(handle), buffer,
                    (int) buffer.byteSize(), MemorySegment.NULL, overlapped);
            return ok != 0 ? Win32Error.SUCCESS : Kernel32.lastError(state);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public void getQueuedCompletionStatus(long port, int timeoutMillis, CompletionStatus out) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment bytes = arena.allocate(JAVA_INT);
            MemorySegment key = arena.allocate(JAVA_LONG);
            MemorySegment overlapped = arena.allocate(ADDRESS);
            int ok = (int) Kernel32.GetQueuedCompletionStatus.HANDLE.invokeExact(state, MemorySegment.ofAddress(port),
                    bytes, key, overlapped, timeoutMillis);
            // A failed I/O still dequeues its OVERLAPPED; a failed wait leaves it null.
            out.set(ok != 0 ? Win32Error.SUCCESS : Kernel32.lastError(state),
                    Integer.toUnsignedLong(bytes.get(JAVA_INT, 0)), overlapped.get(ADDRESS, 0).address());
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public int cancelIoEx(long handle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            int ok = (int) Kernel32.CancelIoEx.HANDLE.invokeExact(state, MemorySegment.ofAddress(handle),
                    MemorySegment.NULL);
            return ok != 0 ? Win32Error.SUCCESS : Kernel32.lastError(state);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public long createEvent(String name, boolean manualReset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment wideName = name == null ? MemorySegment.NULL : arena.allocateFrom(name, StandardCharsets.UTF_16LE);
            MemorySegment event = (MemorySegment) Kernel32.CreateEventW.HANDLE.invokeExact(state, MemorySegment.NULL,
                    manualReset ? 1 : 0, 0, wideName);
            if (event.address() == 0) {
                throw new DriverException("CreateEventW(" + (name == null ? "unnamed" : name) + ")",
                        Kernel32.lastError(state));
            }
            return event.address();
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public int setEvent(long event) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            int ok = (int) Kernel32.SetEvent.HANDLE.invokeExact(state, MemorySegment.ofAddress(event));
            return ok != 0 ? Win32Error.SUCCESS : Kernel32.lastError(state);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public int waitForAny(long[] handles, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment array = arena.allocateFrom(JAVA_LONG, handles);
            int result = (int) Kernel32.WaitForMultipleObjects.HANDLE.invokeExact(state, handles.length, array, 0,
                    timeoutMillis);
            return result;
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public void closeHandle(long handle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            int ok = (int) Kernel32.CloseHandle.HANDLE.invokeExact(state, MemorySegment.ofAddress(handle));
            if (ok == 0) {
                LOG.warn("CloseHandle(0x{}) failed: {}", Long.toHexString(handle),
                        Win32Error.describe(Kernel32.lastError(state)));
            }
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }

    @Override
    public long tickCount64() {
        try {
            return (long) Kernel32.GetTickCount64.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
    }
}
