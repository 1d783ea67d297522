package io.cnm4j.windows.internal.flows;

import io.cnm4j.windows.internal.DriverChannel;
import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.IoctlResult;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.protocol.FlowRecordDefect;
import io.cnm4j.windows.internal.protocol.FlowRecordLayout;
import io.cnm4j.windows.internal.protocol.FlowRecordView;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the driver's open or closed flow table from the synchronous flow handle: calls
 * GET_OPEN_FLOWS or GET_CLOSED_FLOWS until the driver stops answering {@code ERROR_MORE_DATA},
 * decodes each batch of back-to-back records in place, and sizes its native buffer to the
 * traffic: doubled when one hash bucket does not fit ({@code ERROR_MORE_DATA} with no bytes),
 * doubled when a read totals twice the buffer, halved when it totals half of it or less.
 *
 * <p>Nothing is lost silently: unsound records are counted by {@link FlowRecordDefect}, a
 * trailing partial record and a batch claiming more bytes than the buffer holds are counted too.
 *
 * <p>Not thread-safe: the backend serializes reads. The reader owns its buffer's arena;
 * {@link #close()} frees it, and closing twice is harmless.
 */
final class FlowTableReader implements AutoCloseable {
    /** Records that fit the starting buffer, as in Datadog's agent. */
    public static final int INITIAL_RECORDS = 50;
    /** The buffer never grows beyond this; a hash bucket larger than that is a driver fault. */
    public static final long MAX_BUFFER_BYTES = 64L << 20;
    /** Calls per read after which a driver that keeps answering MORE_DATA is declared faulty. */
    public static final int MAX_CALLS_PER_READ = 100_000;

    /** Receives each sound record; the view is valid only during the call. */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(FlowRecordView record);
    }

    private final DriverChannel channel;
    private final long handle;
    private final FlowRecordView view;
    private final int recordSize;
    private final long minimumBytes;
    private Arena arena;
    private MemorySegment buffer;
    private boolean closed;

    private long recordsRead;
    private final long[] rejected = new long[FlowRecordDefect.values().length];
    private long partialRecords;
    private long oversizedBatches;
    private long bufferGrowths;
    private long bufferShrinks;

    public FlowTableReader(DriverChannel channel, long handle, FlowRecordLayout layout) {
        this(channel, handle, layout, INITIAL_RECORDS);
    }

    public FlowTableReader(DriverChannel channel, long handle, FlowRecordLayout layout, int initialRecords) {
        this.channel = channel;
        this.handle = handle;
        this.view = new FlowRecordView(layout);
        this.recordSize = layout.size();
        this.minimumBytes = (long) recordSize * initialRecords;
        allocate(minimumBytes);
    }

    /**
     * Reads the whole table behind {@code ioctl} and hands every sound record to the handler.
     *
     * @return the bytes of records the driver returned
     * @throws DriverException when the driver answers an error other than MORE_DATA/NO_MORE_ITEMS,
     *         or never stops answering MORE_DATA
     */
    public long read(IoctlCode ioctl, RecordHandler handler) {
        if (closed) {
            throw new IllegalStateException("flow table reader is closed");
        }
        long total = 0;
        int error = Win32Error.MORE_DATA;
        for (int calls = 0; error == Win32Error.MORE_DATA; calls++) {
            if (calls == MAX_CALLS_PER_READ) {
                throw new DriverException("DeviceIoControl(" + ioctl + ")",
                        "the driver answered ERROR_MORE_DATA " + calls + " times in one read");
            }
            IoctlResult result = channel.deviceIoControl(handle, ioctl.code(), MemorySegment.NULL, buffer);
            error = result.error();
            if (error == Win32Error.NO_MORE_ITEMS) {
                break;
            }
            if (error != Win32Error.SUCCESS && error != Win32Error.MORE_DATA) {
                throw new DriverException("DeviceIoControl(" + ioctl + ")", error);
            }
            long bytes = result.bytesReturned();
            if (bytes == 0 && error == Win32Error.MORE_DATA) {
                // One hash bucket's chain does not fit: the driver returns nothing until it does.
                grow(buffer.byteSize() * 2, ioctl);
                continue;
            }
            if (bytes < 0 || bytes > buffer.byteSize()) {
                oversizedBatches++;
                continue;
            }
            decode(bytes, handler);
            total += bytes;
        }
        resize(total);
        return total;
    }

    private void decode(long bytes, RecordHandler handler) {
        long whole = bytes - bytes % recordSize;
        if (whole != bytes) {
            partialRecords++;
        }
        for (long offset = 0; offset < whole; offset += recordSize) {
            view.wrap(buffer, offset);
            FlowRecordDefect defect = view.defect();
            if (defect != null) {
                rejected[defect.ordinal()]++;
                continue;
            }
            recordsRead++;
            handler.onRecord(view);
        }
    }

    private void grow(long size, IoctlCode ioctl) {
        if (size > MAX_BUFFER_BYTES) {
            throw new DriverException("DeviceIoControl(" + ioctl + ")",
                    "one hash bucket needs more than " + MAX_BUFFER_BYTES + " bytes");
        }
        bufferGrowths++;
        allocate(size);
    }

    private void resize(long total) {
        long capacity = buffer.byteSize();
        if (total >= 2 * capacity && 2 * capacity <= MAX_BUFFER_BYTES) {
            bufferGrowths++;
            allocate(2 * capacity);
        } else if (total <= capacity / 2 && capacity > minimumBytes) {
            long target = Math.max(Math.max(capacity / 2, total), minimumBytes);
            bufferShrinks++;
            allocate(target - target % recordSize);
        }
    }

    private void allocate(long size) {
        if (arena != null) {
            arena.close();
        }
        arena = Arena.ofShared();
        buffer = arena.allocate(size, 8);
    }

    /** Current buffer size in bytes. */
    public long bufferBytes() {
        return buffer.byteSize();
    }

    /** Counters since creation: records read and rejected, partial records, buffer resizes. */
    public Map<String, Long> telemetry() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("driver_records_read", recordsRead);
        for (FlowRecordDefect defect : FlowRecordDefect.values()) {
            counters.put(defect.counterName(), rejected[defect.ordinal()]);
        }
        counters.put("driver_partial_records_dropped", partialRecords);
        counters.put("driver_oversized_batches_dropped", oversizedBatches);
        counters.put("driver_buffer_growths", bufferGrowths);
        counters.put("driver_buffer_shrinks", bufferShrinks);
        return counters;
    }

    /** Every rejected record and batch, all reasons together. */
    public long rejectedTotal() {
        long sum = partialRecords + oversizedBatches;
        for (long count : rejected) {
            sum += count;
        }
        return sum;
    }

    public long recordsRead() {
        return recordsRead;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
