package io.cnm4j.windows.internal;

import io.cnm4j.windows.internal.protocol.IoctlCode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link DriverChannel} that replays scripted driver answers and logs every call, so that tests
 * assert exact call sequences. IOCTLs answer from a per-code queue, then a default (no more items
 * for flow reads, success otherwise). Reads are remembered by their OVERLAPPED so that a scripted
 * completion writes its bytes into the very buffer the code under test queued. A synchronous IOCTL
 * on a handle tied to a completion port fails the test (WINA-2669). Thread-safe.
 */
public final class ScriptedDriverChannel implements DriverChannel {
    /** One scripted IOCTL answer: the bytes written to the output and the count reported. */
    public record Answer(int error, byte[] output, long bytesReported) {
    }

    private record PendingRead(long handle, MemorySegment buffer, MemorySegment overlapped) {
    }

    private record Completion(int readIndex, int error, byte[] bytes, long bytesReported) {
    }

    private final List<String> calls = new ArrayList<>();
    private final Map<Integer, Deque<Answer>> answers = new HashMap<>();
    private final Map<Integer, List<byte[]>> inputs = new HashMap<>();
    private final Map<String, Integer> openFailures = new HashMap<>();
    private final Map<Long, String> names = new LinkedHashMap<>();
    private final Set<Long> open = new HashSet<>();
    private final Set<Long> tiedToPort = new HashSet<>();
    private final Set<Long> signalled = new HashSet<>();
    private final Map<String, Long> eventsByName = new HashMap<>();
    private final List<PendingRead> reads = new ArrayList<>();
    private final Deque<Completion> completions = new ArrayDeque<>();
    /** Reads whose completion was dequeued: no longer pending. */
    private final Set<Integer> consumed = new HashSet<>();
    private boolean waitsFail;
    private long nextHandle = 0x100;
    private long tickCount = 3_600_000;

    // ---- scripting ----

    /** Queues an answer for the next call of {@code ioctl}: the output bytes, reported in full. */
    public synchronized ScriptedDriverChannel answer(IoctlCode ioctl, int error, byte[] output) {
        return answer(ioctl, error, output, output.length);
    }

    /** Queues an answer whose reported byte count differs from the bytes written. */
    public synchronized ScriptedDriverChannel answer(IoctlCode ioctl, int error, byte[] output, long bytesReported) {
        answers.computeIfAbsent(ioctl.code(), k -> new ArrayDeque<>()).add(new Answer(error, output, bytesReported));
        return this;
    }

    /** Makes CreateFileW of a path fail with an error. */
    public synchronized ScriptedDriverChannel failOpen(String path, int error) {
        openFailures.put(path, error);
        return this;
    }

    /** Completes the {@code readIndex}-th ReadFile ever issued with these bytes. */
    public synchronized ScriptedDriverChannel complete(int readIndex, int error, byte[] bytes) {
        completions.add(new Completion(readIndex, error, bytes, bytes.length));
        notifyAll();
        return this;
    }

    /** ReadFile calls so far, re-issued reads included. */
    public synchronized int readsIssued() {
        return reads.size();
    }

    /** Signals the named event once; a wait that sees it consumes the signal (as if the driver reset it). */
    public synchronized void pulse(String eventName) {
        Long event = eventsByName.get(eventName);
        if (event == null) {
            throw new AssertionError("no event named " + eventName);
        }
        signalled.add(event);
        notifyAll();
    }

    /** Makes every later wait return {@code WAIT_FAILED}. */
    public synchronized void failWaits() {
        waitsFail = true;
    }

    public synchronized void tickCount(long millis) {
        tickCount = millis;
    }

    // ---- inspection ----

    /** Every call so far, one line each. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The input buffers passed to an IOCTL, in call order. */
    public synchronized List<byte[]> inputs(IoctlCode ioctl) {
        return List.copyOf(inputs.getOrDefault(ioctl.code(), List.of()));
    }

    /** Names of the handles not closed yet. */
    public synchronized List<String> openHandles() {
        return open.stream().sorted().map(names::get).toList();
    }

    // ---- DriverChannel ----

    @Override
    public synchronized long createFile(String path, boolean overlapped) {
        calls.add("CreateFileW " + path + (overlapped ? " overlapped" : " sync"));
        Integer error = openFailures.get(path);
        if (error != null) {
            throw new DriverException("CreateFileW(" + path + ")", error);
        }
        return newHandle(path.substring(path.lastIndexOf('\\') + 1));
    }

    @Override
    public synchronized IoctlResult deviceIoControl(long handle, int ioctl, MemorySegment input, MemorySegment output) {
        if (tiedToPort.contains(handle)) {
            throw new AssertionError("synchronous DeviceIoControl on " + names.get(handle) + ", which is tied to a port");
        }
        return ioctl("DeviceIoControl", handle, ioctl, input, output);
    }

    @Override
    public synchronized IoctlResult deviceIoControlWithEvent(long handle, int ioctl, MemorySegment input,
            MemorySegment output) {
        return ioctl("DeviceIoControlWithEvent", handle, ioctl, input, output);
    }

    private IoctlResult ioctl(String call, long handle, int ioctl, MemorySegment input, MemorySegment output) {
        requireOpen(handle);
        calls.add(call + " " + names.get(handle) + " " + ioctlName(ioctl) + " in=" + input.byteSize() + " out="
                + output.byteSize());
        inputs.computeIfAbsent(ioctl, k -> new ArrayList<>()).add(input.toArray(ValueLayout.JAVA_BYTE));
        Deque<Answer> queue = answers.get(ioctl);
        Answer answer = queue == null || queue.isEmpty() ? defaultAnswer(ioctl, output) : queue.poll();
        MemorySegment.copy(MemorySegment.ofArray(answer.output()), 0, output, 0,
                Math.min(answer.output().length, output.byteSize()));
        return new IoctlResult(answer.error(), answer.bytesReported());
    }

    private static Answer defaultAnswer(int ioctl, MemorySegment output) {
        if (ioctl == IoctlCode.GET_OPEN_FLOWS.code() || ioctl == IoctlCode.GET_CLOSED_FLOWS.code()) {
            return new Answer(Win32Error.NO_MORE_ITEMS, new byte[0], 0);
        }
        return new Answer(Win32Error.SUCCESS, new byte[0], ioctl == IoctlCode.GETSTATS.code() ? output.byteSize() : 0);
    }

    @Override
    public synchronized long createIoCompletionPort(long fileHandle) {
        requireOpen(fileHandle);
        calls.add("CreateIoCompletionPort " + names.get(fileHandle));
        tiedToPort.add(fileHandle);
        return newHandle("port");
    }

    @Override
    public synchronized int readFile(long handle, MemorySegment buffer, MemorySegment overlapped) {
        requireOpen(handle);
        reads.add(new PendingRead(handle, buffer, overlapped));
        return Win32Error.IO_PENDING;
    }

    @Override
    public void getQueuedCompletionStatus(long port, int timeoutMillis, CompletionStatus out) {
        synchronized (this) {
            requireOpen(port);
            Completion next = completions.poll();
            if (next != null) {
                PendingRead read = reads.get(next.readIndex());
                consumed.add(next.readIndex());
                MemorySegment.copy(MemorySegment.ofArray(next.bytes()), 0, read.buffer(), 0,
                        Math.min(next.bytes().length, read.buffer().byteSize()));
                out.set(next.error(), next.bytesReported(), read.overlapped().address());
                return;
            }
            out.set(Win32Error.WAIT_TIMEOUT, 0, 0);
        }
        // Nothing queued: let a polling thread breathe instead of spinning.
        sleep(Math.min(Math.max(timeoutMillis, 0), 5));
    }

    @Override
    public synchronized int cancelIoEx(long handle) {
        requireOpen(handle);
        calls.add("CancelIoEx " + names.get(handle));
        Set<Integer> completed = new HashSet<>();
        completions.forEach(c -> completed.add(c.readIndex()));
        for (int i = 0; i < reads.size(); i++) {
            if (reads.get(i).handle() == handle && !completed.contains(i) && !consumed.contains(i)) {
                completions.add(new Completion(i, Win32Error.OPERATION_ABORTED, new byte[0], 0));
            }
        }
        return Win32Error.SUCCESS;
    }

    @Override
    public synchronized long createEvent(String name, boolean manualReset) {
        calls.add("CreateEventW " + (name == null ? "unnamed" : name) + (manualReset ? " manual" : " auto"));
        long event = newHandle("event:" + (name == null ? "unnamed" : name));
        if (name != null) {
            eventsByName.put(name, event);
        }
        return event;
    }

    @Override
    public synchronized int setEvent(long event) {
        requireOpen(event);
        calls.add("SetEvent " + names.get(event));
        signalled.add(event);
        notifyAll();
        return Win32Error.SUCCESS;
    }

    @Override
    public synchronized int waitForAny(long[] handles, int timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            if (waitsFail) {
                return WAIT_FAILED;
            }
            for (int i = 0; i < handles.length; i++) {
                requireOpen(handles[i]);
                if (signalled.contains(handles[i])) {
                    if (names.get(handles[i]).startsWith("event:Global")) {
                        signalled.remove(handles[i]);
                    }
                    return i;
                }
            }
            long left = deadline - System.nanoTime();
            if (timeoutMillis != INFINITE && left <= 0) {
                return Win32Error.WAIT_TIMEOUT;
            }
            try {
                wait(timeoutMillis == INFINITE ? 0 : Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return WAIT_FAILED;
            }
        }
    }

    @Override
    public synchronized void closeHandle(long handle) {
        calls.add("CloseHandle " + names.get(handle));
        if (!open.remove(handle)) {
            throw new AssertionError("handle closed twice or never opened: " + names.get(handle));
        }
    }

    @Override
    public synchronized long tickCount64() {
        return tickCount;
    }

    private long newHandle(String name) {
        long handle = nextHandle;
        nextHandle += 4;
        names.put(handle, name);
        open.add(handle);
        return handle;
    }

    private void requireOpen(long handle) {
        if (!open.contains(handle)) {
            throw new AssertionError("call on a closed or unknown handle: " + names.get(handle));
        }
    }

    private static String ioctlName(int code) {
        for (IoctlCode ioctl : IoctlCode.values()) {
            if (ioctl.code() == code) {
                return ioctl.name();
            }
        }
        return "0x" + Integer.toHexString(code);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
