package io.cnm4j.windows.internal.flows;

import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.concat;
import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.tcp4;
import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.udp6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.ScriptedDriverChannel;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.FlowRecordFixture;
import io.cnm4j.windows.internal.protocol.FlowRecordLayout;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowTableReaderTest {
    private static final DriverVersion V18 = DriverVersion.V18;

    private final ScriptedDriverChannel channel = new ScriptedDriverChannel();
    private final long handle = channel.createFile("\\\\.\\ddnpm\\flowstatshandle", false);
    private final List<Long> cookies = new ArrayList<>();

    private FlowTableReader reader(DriverVersion version, int initialRecords) {
        return new FlowTableReader(channel, handle, FlowRecordLayout.of(version), initialRecords);
    }

    private List<String> ioctlCalls() {
        return channel.calls().stream().filter(c -> c.startsWith("DeviceIoControl")).toList();
    }

    @Test
    void aSuccessfulBatchIsDecodedRecordByRecordInOneCall() {
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS, concat(V18, tcp4(1), udp6(2), tcp4(3)));
        try (FlowTableReader reader = reader(V18, 50)) {
            long bytes = reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowCookie()));
            assertThat(bytes).isEqualTo(582);
            assertThat(cookies).containsExactly(0xC00C1E0001L, 0xC00C1E0002L, 0xC00C1E0003L);
            assertThat(ioctlCalls()).containsExactly("DeviceIoControl flowstatshandle GET_OPEN_FLOWS in=0 out=9700");
            assertThat(reader.telemetry()).containsEntry("driver_records_read", 3L);
        }
    }

    @Test
    void moreDataWithBytesMeansAnotherBatchUntilNoMoreItems() {
        channel.answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.MORE_DATA, concat(V18, tcp4(1), tcp4(2)))
                .answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.MORE_DATA, concat(V18, tcp4(3)))
                .answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.NO_MORE_ITEMS, new byte[0]);
        try (FlowTableReader reader = reader(V18, 50)) {
            reader.read(IoctlCode.GET_CLOSED_FLOWS, r -> cookies.add(r.flowCookie()));
            assertThat(cookies).containsExactly(0xC00C1E0001L, 0xC00C1E0002L, 0xC00C1E0003L);
            assertThat(ioctlCalls()).containsExactly(
                    "DeviceIoControl flowstatshandle GET_CLOSED_FLOWS in=0 out=9700",
                    "DeviceIoControl flowstatshandle GET_CLOSED_FLOWS in=0 out=9700",
                    "DeviceIoControl flowstatshandle GET_CLOSED_FLOWS in=0 out=9700");
        }
    }

    @Test
    void moreDataWithoutBytesDoublesTheBufferAndAsksAgain() {
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.MORE_DATA, new byte[0])
                .answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.MORE_DATA, new byte[0])
                .answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS, concat(V18, tcp4(7)));
        try (FlowTableReader reader = reader(V18, 2)) {
            reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowCookie()));
            assertThat(cookies).containsExactly(0xC00C1E0007L);
            assertThat(ioctlCalls()).containsExactly(
                    "DeviceIoControl flowstatshandle GET_OPEN_FLOWS in=0 out=388",
                    "DeviceIoControl flowstatshandle GET_OPEN_FLOWS in=0 out=776",
                    "DeviceIoControl flowstatshandle GET_OPEN_FLOWS in=0 out=1552");
            // One record in a 1552-byte buffer: at most half used, so it shrinks to max(cap/2, total) = 776.
            assertThat(reader.bufferBytes()).isEqualTo(776);
            assertThat(reader.telemetry()).containsEntry("driver_buffer_growths", 2L)
                    .containsEntry("driver_buffer_shrinks", 1L);
        }
    }

    @Test
    void aReadTotallingTwiceTheBufferGrowsItForTheNextRead() {
        byte[] twoRecords = concat(V18, tcp4(1), tcp4(2));
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.MORE_DATA, twoRecords)
                .answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS, twoRecords);
        try (FlowTableReader reader = reader(V18, 2)) {
            reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowCookie()));
            assertThat(cookies).hasSize(4);
            assertThat(reader.bufferBytes()).isEqualTo(776);
            reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowCookie()));
            assertThat(ioctlCalls()).last().isEqualTo("DeviceIoControl flowstatshandle GET_OPEN_FLOWS in=0 out=776");
            // The empty read shrinks it back, never below the starting size.
            assertThat(reader.bufferBytes()).isEqualTo(388);
        }
    }

    @Test
    void noMoreItemsAtOnceReadsNothing() {
        try (FlowTableReader reader = reader(V18, 50)) {
            assertThat(reader.read(IoctlCode.GET_CLOSED_FLOWS, r -> cookies.add(r.flowCookie()))).isZero();
            assertThat(cookies).isEmpty();
            assertThat(ioctlCalls()).hasSize(1);
        }
    }

    @Test
    void anyOtherErrorFailsTheReadWithItsCodeAndCall() {
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.MORE_DATA, concat(V18, tcp4(1)))
                .answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.INVALID_PARAMETER, new byte[0]);
        try (FlowTableReader reader = reader(V18, 50)) {
            assertThatThrownBy(() -> reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowCookie())))
                    .isInstanceOf(DriverException.class)
                    .hasMessage("DeviceIoControl(GET_OPEN_FLOWS) failed: ERROR_INVALID_PARAMETER (87)");
            assertThat(cookies).containsExactly(0xC00C1E0001L);
        }
    }

    @Test
    void aTrailingPartialRecordIsCountedAndTheWholeOnesKept() {
        byte[] batch = concat(V18, tcp4(1), tcp4(2));
        byte[] withTail = Arrays.copyOf(batch, batch.length + 100);
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS, withTail);
        try (FlowTableReader reader = reader(V18, 50)) {
            reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowCookie()));
            assertThat(cookies).containsExactly(0xC00C1E0001L, 0xC00C1E0002L);
            assertThat(reader.telemetry()).containsEntry("driver_partial_records_dropped", 1L);
            assertThat(reader.rejectedTotal()).isEqualTo(1);
        }
    }

    @Test
    void aByteCountBeyondTheBufferRejectsThatBatchOnly() {
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.MORE_DATA, concat(V18, tcp4(1)), 1L << 40)
                .answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS, concat(V18, tcp4(2)));
        try (FlowTableReader reader = reader(V18, 50)) {
            reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowCookie()));
            assertThat(cookies).containsExactly(0xC00C1E0002L);
            assertThat(reader.telemetry()).containsEntry("driver_oversized_batches_dropped", 1L);
        }
    }

    @Test
    void unsoundRecordsAreCountedByDefectAndTheirNeighboursDelivered() {
        FlowRecordFixture badFamily = tcp4(2);
        badFamily.addressFamily = 10;
        FlowRecordFixture badStatus = tcp4(3);
        badStatus.connectionStatus = 9;
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS,
                concat(V18, tcp4(1), badFamily, badStatus, udp6(4)));
        try (FlowTableReader reader = reader(V18, 50)) {
            reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowCookie()));
            assertThat(cookies).containsExactly(0xC00C1E0001L, 0xC00C1E0004L);
            assertThat(reader.telemetry())
                    .containsEntry("driver_bad_address_family_records_dropped", 1L)
                    .containsEntry("driver_bad_connection_status_records_dropped", 1L)
                    .containsEntry("driver_bad_protocol_records_dropped", 0L)
                    .containsEntry("driver_records_read", 2L);
        }
    }

    @Test
    void olderLayoutsAreWalkedAtTheirOwnStride() {
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS,
                concat(DriverVersion.V14, tcp4(1), tcp4(2), udp6(3)));
        try (FlowTableReader reader = reader(DriverVersion.V14, 50)) {
            reader.read(IoctlCode.GET_OPEN_FLOWS, r -> cookies.add(r.flowHandle()));
            assertThat(cookies).containsExactly(0x1001L, 0x1002L, 0x1003L);
            assertThat(ioctlCalls()).containsExactly("DeviceIoControl flowstatshandle GET_OPEN_FLOWS in=0 out=8800");
        }
    }

    @Test
    void aDriverThatNeverStopsAnsweringMoreDataIsDeclaredFaulty() {
        byte[] one = concat(V18, tcp4(1));
        for (int i = 0; i < FlowTableReader.MAX_CALLS_PER_READ; i++) {
            channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.MORE_DATA, one);
        }
        try (FlowTableReader reader = reader(V18, 50)) {
            assertThatThrownBy(() -> reader.read(IoctlCode.GET_OPEN_FLOWS, r -> { }))
                    .isInstanceOf(DriverException.class)
                    .hasMessage("DeviceIoControl(GET_OPEN_FLOWS): the driver answered ERROR_MORE_DATA 100000 times in one read");
        }
    }

    @Test
    void aHashBucketBeyondTheBufferLimitIsADriverFault() {
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.MORE_DATA, new byte[0]);
        try (FlowTableReader reader = reader(V18, 200_000)) {
            assertThatThrownBy(() -> reader.read(IoctlCode.GET_OPEN_FLOWS, r -> { }))
                    .isInstanceOf(DriverException.class)
                    .hasMessage("DeviceIoControl(GET_OPEN_FLOWS): one hash bucket needs more than 67108864 bytes");
            assertThat(reader.bufferBytes()).isEqualTo(38_800_000);
        }
    }

    @Test
    void closingTwiceIsHarmlessAndReadingAfterCloseIsRefused() {
        FlowTableReader reader = reader(V18, 50);
        reader.close();
        reader.close();
        assertThatThrownBy(() -> reader.read(IoctlCode.GET_OPEN_FLOWS, r -> { }))
                .isInstanceOf(IllegalStateException.class);
    }
}
