package io.cnm4j.linux.internal.libbpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.cnm4j.core.internal.ffm.CapturedError;
import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.internal.ffm.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a BPF ring buffer map (a libbpf {@code struct ring_buffer *}) and hands each record to a
 * {@link RingBufferRecordHandler} without allocating.
 *
 * <p>Owned by the {@link BpfObject} that opened it, its only closer: the reader is freed when the
 * object closes, never by its user. Closing twice is harmless.
 *
 * <p>Thread-safety: meant for one polling thread. {@link #close()} may come from any other thread: it
 * waits for a poll in progress to return (at most its timeout), so the native ring buffer is never
 * freed under libbpf's feet. A handler must not close its own reader. {@link #handlerFailures()} may
 * be read from any thread.
 */
public final class RingBufferReader {

    private static final Logger LOG = LoggerFactory.getLogger(RingBufferReader.class);

    /** The whole address space: each record is delivered as an offset into this one segment. */
    private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /*
     * ring_buffer_sample_fn: int (*)(void *ctx, void *data, size_t size). The pointers are declared
     * as longs, which is ABI-identical on LP64 Linux, so the upcall wraps no MemorySegment per record.
     */
    private static final FunctionDescriptor SAMPLE_FN =
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle ON_SAMPLE;

    static {
        try {
            ON_SAMPLE = MethodHandles.lookup().findVirtual(RingBufferReader.class, "onSample",
                    MethodType.methodType(int.class, long.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String mapName;
    private final RingBufferRecordHandler handler;
    /** Holds the upcall stub, which must outlive the native ring buffer calling it. */
    private final Arena arena;
    private final MemorySegment ringBuffer;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;
    /** Written only during a poll, under the lock, hence a plain increment; read from any thread. */
    private volatile long handlerFailures;

    private RingBufferReader(String mapName, RingBufferRecordHandler handler, Arena arena, int mapFd)
            throws NativeCallException {
        this.mapName = mapName;
        this.handler = handler;
        this.arena = arena;
        MemorySegment sampleFunction = NativeLibrary.upcall(ON_SAMPLE.bindTo(this), SAMPLE_FN, arena);
        MemorySegment callState = CapturedError.allocateState(arena);
        MemorySegment created;
        try {
            created = (MemorySegment) LibBpf.RingBuffers.NEW.invokeExact(callState, mapFd, sampleFunction,
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeLibrary.propagate(t);
        }
        this.ringBuffer = LibBpf.nonNull(created, callState, "ring_buffer__new(" + mapName + ")");
    }

    static RingBufferReader open(String mapName, int mapFd, RingBufferRecordHandler handler)
            throws NativeCallException {
        Arena arena = Arena.ofShared();
        try {
            return new RingBufferReader(mapName, handler, arena, mapFd);
        } catch (NativeCallException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code timeout} for records, then delivers all records available.
     *
     * @return the number of records delivered, including those whose handler threw; 0 on timeout or
     *     when a signal interrupted the wait
     */
    public int poll(Duration timeout) throws NativeCallException {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
        lock.lock();
        try {
            requireOpen();
            int result;
            try {
                result = (int) LibBpf.RingBuffers.POLL.invokeExact(ringBuffer, timeoutMillis);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            return recordsOrThrow("ring_buffer__poll", result);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delivers all records available now, without waiting.
     *
     * @return the number of records delivered, including those whose handler threw
     */
    public int consume() throws NativeCallException {
        lock.lock();
        try {
            requireOpen();
            int result;
            try {
                result = (int) LibBpf.RingBuffers.CONSUME.invokeExact(ringBuffer);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            }
            return recordsOrThrow("ring_buffer__consume", result);
        } finally {
            lock.unlock();
        }
    }

    /** How many times the handler threw; the first failure is also logged, the others only counted. */
    public long handlerFailures() {
        return handlerFailures;
    }

    /**
     * Frees the native ring buffer (its memory mappings and epoll descriptor), then the upcall stub;
     * called by the owning {@link BpfObject} only.
     */
    void close() {
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) {
                throw new IllegalStateException("a record handler must not close its own ring buffer reader");
            }
            if (closed) {
                return;
            }
            closed = true;
            try {
                LibBpf.RingBuffers.FREE.invokeExact(ringBuffer);
            } catch (Throwable t) {
                throw NativeLibrary.propagate(t);
            } finally {
                arena.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "RingBufferReader[" + mapName + "]";
    }

    private int recordsOrThrow(String call, int result) throws NativeCallException {
        if (result == -LinuxErrno.EINTR) {
            return 0;
        }
        return LibBpfErrors.check(call + "(" + mapName + ")", result);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("ring buffer reader of " + mapName + " is closed");
        }
    }

    /** Called by libbpf for each record. Must not throw: an exception cannot unwind through native frames. */
    private int onSample(long context, long recordAddress, long recordSize) {
        try {
            handler.onRecord(ALL_MEMORY, recordAddress, (int) recordSize);
        } catch (Throwable failure) {
            countHandlerFailure(failure);
        }
        return 0;
    }

    private void countHandlerFailure(Throwable failure) {
        long failures = handlerFailures + 1;
        handlerFailures = failures;
        if (failures == 1) {
            try {
                LOG.warn("Record handler of ring buffer {} threw; further failures are only counted", mapName, failure);
            } catch (Throwable ignored) {
                // Logging is best effort here; the failure is counted either way.
            }
        }
    }
}
