package io.cnm4j.windows.internal.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.windows.internal.CompletionStatus;
import io.cnm4j.windows.internal.DriverChannel;
import io.cnm4j.windows.internal.IoctlResult;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.FlowRecordLayout;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One million random driver answers from a fixed seed through the read loop, the decoder and the
 * mapper: nothing may throw, and every record is either delivered or counted as rejected.
 */
class FlowDecoderFuzzTest {
    private static final int BUFFERS = 1_000_000;

    /** Answers each GET_OPEN_FLOWS with the next random buffer, once. */
    private static final class RandomAnswers implements DriverChannel {
        byte[] next;
        long reported;

        @Override
        public IoctlResult deviceIoControl(long handle, int ioctl, MemorySegment input, MemorySegment output) {
            if (next == null) {
                return IoctlResult.failed(Win32Error.NO_MORE_ITEMS);
            }
            MemorySegment.copy(MemorySegment.ofArray(next), 0, output, 0, Math.min(next.length, output.byteSize()));
            next = null;
            return IoctlResult.ok(reported);
        }

        @Override public long createFile(String path, boolean overlapped) { throw new UnsupportedOperationException(); }
        @Override public IoctlResult deviceIoControlWithEvent(long h, int i, MemorySegment in, MemorySegment out) { throw new UnsupportedOperationException(); }
        @Override public long createIoCompletionPort(long fileHandle) { throw new UnsupportedOperationException(); }
        @Override public int readFile(long h, MemorySegment b, MemorySegment o) { throw new UnsupportedOperationException(); }
        @Override public void getQueuedCompletionStatus(long p, int t, CompletionStatus out) { throw new UnsupportedOperationException(); }
        @Override public int cancelIoEx(long handle) { throw new UnsupportedOperationException(); }
        @Override public long createEvent(String name, boolean manualReset) { throw new UnsupportedOperationException(); }
        @Override public int setEvent(long event) { throw new UnsupportedOperationException(); }
        @Override public int waitForAny(long[] handles, int timeoutMillis) { throw new UnsupportedOperationException(); }
        @Override public void closeHandle(long handle) { throw new UnsupportedOperationException(); }
        @Override public long tickCount64() { throw new UnsupportedOperationException(); }
    }

    @Test
    void randomBuffersNeverThrowAndEveryRecordIsDeliveredOrCounted() {
        SplittableRandom random = new SplittableRandom(0x5EED_C0DEL);
        FlowEventMapper mapper = new FlowEventMapper(new DriverTimestamps(1_000, 1_700_000_000_000_000_000L, null), false);
        ConnectionEvent event = new ConnectionEvent();
        for (DriverVersion version : DriverVersion.values()) {
            RandomAnswers channel = new RandomAnswers();
            long[] delivered = new long[1];
            long expectedRecords = 0;
            long expectedPartial = 0;
            long expectedOversized = 0;
            try (FlowTableReader reader = new FlowTableReader(channel, 1, FlowRecordLayout.of(version))) {
                long capacity = reader.bufferBytes();
                for (int i = 0; i < BUFFERS / DriverVersion.values().length + (version == DriverVersion.V18 ? 1 : 0); i++) {
                    byte[] bytes = new byte[random.nextInt(0, 6 * version.flowRecordSize())];
                    random.nextBytes(bytes);
                    if (random.nextBoolean()) {
                        makePlausible(bytes, version, random);
                    }
                    channel.next = bytes;
                    channel.reported = random.nextInt(50) == 0 ? capacity + 1 + random.nextInt(1 << 20) : bytes.length;
                    if (channel.reported > capacity) {
                        expectedOversized++;
                    } else {
                        expectedRecords += bytes.length / version.flowRecordSize();
                        expectedPartial += bytes.length % version.flowRecordSize() != 0 ? 1 : 0;
                    }
                    reader.read(IoctlCode.GET_OPEN_FLOWS, record -> {
                        mapper.fill(record, event);
                        delivered[0]++;
                    });
                }
                long rejectedRecords = reader.rejectedTotal() - expectedPartial - expectedOversized;
                assertThat(reader.telemetry())
                        .containsEntry("driver_partial_records_dropped", expectedPartial)
                        .containsEntry("driver_oversized_batches_dropped", expectedOversized);
                assertThat(delivered[0] + rejectedRecords).as("records of version %s", version).isEqualTo(expectedRecords);
                assertThat(reader.recordsRead()).isEqualTo(delivered[0]);
                assertThat(delivered[0]).as("plausible records reach the mapper").isGreaterThan(expectedRecords / 10);
                assertThat(rejectedRecords).as("random records are rejected").isGreaterThan(expectedRecords / 10);
            }
        }
    }

    /** Gives every record a valid family and protocol, and a TCP status that is often in range. */
    private static void makePlausible(byte[] bytes, DriverVersion version, SplittableRandom random) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int shift = version == DriverVersion.V18 ? 0 : -8;
        for (int base = 0; base + version.flowRecordSize() <= bytes.length; base += version.flowRecordSize()) {
            buffer.putShort(base + 24 + shift, (short) (random.nextBoolean() ? 2 : 23));
            buffer.putShort(base + 26 + shift, (short) (random.nextBoolean() ? 6 : 17));
            buffer.putInt(base + 20 + shift, random.nextInt(3) == 0 ? -1 : 0);
            if (version != DriverVersion.V14) {
                buffer.putInt(base + 184 + shift, random.nextInt(9));
            }
        }
    }
}
