package io.cnm4j.windows.internal.flows;

import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.concat;
import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.tcp4;
import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.udp6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.ScriptedDriverChannel;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.FlowRecordFixture;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsDriverBackendTest {
    private static final long NOW = 1_700_000_000_000_000_000L;
    private static final DriverVersion V18 = DriverVersion.V18;

    private final ScriptedDriverChannel channel = new ScriptedDriverChannel();
    private final CollectingSink sink = new CollectingSink();
    private final List<ConnectionEvent> updates = new ArrayList<>();

    private WindowsDriverBackend open(MonitorConfig config) {
        return WindowsDriverBackend.open(new BackendContext(config, sink), channel,
                DriverTimestamps.Unit.MICROS_SINCE_BOOT, () -> NOW);
    }

    private static long u64(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    private static FlowRecordFixture withStatus(FlowRecordFixture record, int status) {
        record.connectionStatus = status;
        return record;
    }

    @Test
    void openInstallsFourFlowFiltersTheLimitsTheEventsAndDns() {
        try (WindowsDriverBackend backend = open(MonitorConfig.defaults())) {
            assertThat(backend.version()).isEqualTo(V18);
            assertThat(channel.calls()).containsExactly(
                    "CreateFileW \\\\.\\ddnpm\\flowstatshandle sync",
                    "DeviceIoControl flowstatshandle SET_FLOW_FILTER in=160 out=8",
                    "DeviceIoControl flowstatshandle SET_FLOW_FILTER in=160 out=8",
                    "DeviceIoControl flowstatshandle SET_FLOW_FILTER in=160 out=8",
                    "DeviceIoControl flowstatshandle SET_FLOW_FILTER in=160 out=8",
                    "DeviceIoControl flowstatshandle SET_MAX_OPEN_FLOWS in=8 out=0",
                    "DeviceIoControl flowstatshandle SET_MAX_CLOSED_FLOWS in=8 out=0",
                    "DeviceIoControl flowstatshandle SET_CLOSED_FLOWS_NOTIFY in=8 out=0",
                    "CreateEventW Global\\DDNPMClosedFlowsReadyEvent manual",
                    "CreateEventW unnamed manual",
                    "CreateFileW \\\\.\\ddnpm\\transporthandle overlapped",
                    "DeviceIoControl transporthandle SET_DATA_FILTER in=160 out=8",
                    "DeviceIoControl transporthandle SET_DATA_FILTER in=160 out=8",
                    "CreateIoCompletionPort transporthandle");
            List<byte[]> filters = channel.inputs(IoctlCode.SET_FLOW_FILTER);
            assertThat(filters).extracting(f -> u64(f, 24) + "/" + u64(f, 128))
                    .containsExactly("2/6", "23/6", "2/17", "23/17");
            assertThat(u64(channel.inputs(IoctlCode.SET_MAX_OPEN_FLOWS).getFirst(), 0)).isEqualTo(32_767);
            assertThat(u64(channel.inputs(IoctlCode.SET_MAX_CLOSED_FLOWS).getFirst(), 0)).isEqualTo(65_535);
            assertThat(u64(channel.inputs(IoctlCode.SET_CLOSED_FLOWS_NOTIFY).getFirst(), 0)).isEqualTo(32_767);
        }
    }

    @Test
    void aRefusedSignatureFallsBackToTheNextOlderVersion() {
        channel.answer(IoctlCode.SET_FLOW_FILTER, Win32Error.INVALID_PARAMETER, new byte[0]);
        MonitorConfig config = MonitorConfig.builder().collectUdp(false).collectIpv6(false).dnsEnabled(false).build();
        try (WindowsDriverBackend backend = open(config)) {
            assertThat(backend.version()).isEqualTo(DriverVersion.V16);
            assertThat(channel.calls()).containsSubsequence(
                    "DeviceIoControl flowstatshandle SET_FLOW_FILTER in=160 out=8",
                    "DeviceIoControl flowstatshandle SET_FLOW_FILTER in=152 out=8",
                    "DeviceIoControl flowstatshandle SET_MAX_OPEN_FLOWS in=8 out=0");
            assertThat(channel.inputs(IoctlCode.SET_FLOW_FILTER)).extracting(f -> u64(f, 0))
                    .containsExactly(0xddfd00000018L, 0xddfd00000016L);
            assertThat(backend.features().get(Feature.DNS))
                    .isEqualTo(FeatureStatus.off("disabled by configuration (dns_enabled=false)"));
        }
    }

    @Test
    void aDriverRefusingEveryVersionFailsOpenAndLeavesNoHandle() {
        for (int i = 0; i < 3; i++) {
            channel.answer(IoctlCode.SET_FLOW_FILTER, Win32Error.INVALID_PARAMETER, new byte[0]);
        }
        assertThatThrownBy(() -> open(MonitorConfig.defaults())).isInstanceOf(DriverException.class)
                .hasMessage("DeviceIoControl(SET_FLOW_FILTER): the driver refused every known structure version "
                        + "(0x18: ERROR_INVALID_PARAMETER (87), 0x16: ERROR_INVALID_PARAMETER (87), "
                        + "0x14: ERROR_INVALID_PARAMETER (87))");
        assertThat(channel.openHandles()).isEmpty();
    }

    @Test
    void readActiveReportsOpenFlowsAndPublishesEachClosedFlowOnce() {
        FlowRecordFixture closedUdp = udp6(3);
        closedUdp.flags = 0x110;
        FlowRecordFixture closedTcp = tcp4(4);
        closedTcp.flags = 0x210;
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS,
                        concat(V18, tcp4(1), withStatus(tcp4(2), 3), closedUdp))
                .answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.SUCCESS, concat(V18, withStatus(tcp4(2), 3), closedTcp));
        try (WindowsDriverBackend backend = open(MonitorConfig.builder().dnsEnabled(false).build())) {
            backend.readActive(e -> updates.add(new ConnectionEvent().copyFrom(e)));
            assertThat(updates).extracting(ConnectionEvent::flowId).containsExactly(0xC00C1E0001L);
            assertThat(updates.getFirst().kind()).isEqualTo(ConnectionEvent.Kind.UPDATE);
            List<ConnectionEvent> closed = sink.published();
            assertThat(closed).extracting(ConnectionEvent::flowId)
                    .containsExactly(0xC00C1E0002L, 0xC00C1E0003L, 0xC00C1E0004L);
            assertThat(closed).extracting(ConnectionEvent::kind).containsOnly(ConnectionEvent.Kind.CLOSED);
            assertThat(closed).extracting(ConnectionEvent::failureErrno).containsExactly(111, 0, 0);

            // WINA-2711: the refused flow lingers in the open table, once failed and once without status.
            channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS,
                    concat(V18, withStatus(tcp4(2), 3), withStatus(tcp4(4), 2), tcp4(1)));
            updates.clear();
            backend.readActive(e -> updates.add(new ConnectionEvent().copyFrom(e)));
            assertThat(updates).extracting(ConnectionEvent::flowId).containsExactly(0xC00C1E0001L);
            assertThat(sink.published()).hasSize(3);
            assertThat(backend.telemetry()).containsEntry("driver_closed_duplicates_skipped", 2L)
                    .containsEntry("driver_lingering_flows_skipped", 1L);
            assertThat(channel.calls().subList(channel.calls().size() - 3, channel.calls().size())).containsExactly(
                    "DeviceIoControl flowstatshandle GETSTATS in=8 out=280",
                    "DeviceIoControl flowstatshandle GET_OPEN_FLOWS in=0 out=9700",
                    "DeviceIoControl flowstatshandle GET_CLOSED_FLOWS in=0 out=9700");
        }
    }

    @Test
    void aClosedFlowTheQueueCouldNotTakeIsPublishedWhenTheDriverShowsItAgain() {
        FlowRecordFixture closedTcp = tcp4(5);
        closedTcp.flags = 0x210;
        channel.answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.SUCCESS, concat(V18, closedTcp))
                .answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.SUCCESS, concat(V18, closedTcp));
        try (WindowsDriverBackend backend = open(MonitorConfig.builder().dnsEnabled(false).build())) {
            sink.refuseNext(1);
            backend.readActive(updates::add);
            assertThat(sink.published()).isEmpty();
            backend.readActive(updates::add);
            assertThat(sink.published()).extracting(ConnectionEvent::flowId).containsExactly(0xC00C1E0005L);
            assertThat(backend.telemetry()).containsEntry("driver_closed_duplicates_skipped", 0L);
        }
    }

    @Test
    void driverStatisticsAndReadFailuresAreTelemetry() {
        byte[] stats = new byte[280];
        ByteBuffer.wrap(stats).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 5).putLong(16, 9);
        channel.answer(IoctlCode.GETSTATS, Win32Error.SUCCESS, stats)
                .answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.ACCESS_DENIED, new byte[0]);
        try (WindowsDriverBackend backend = open(MonitorConfig.builder().dnsEnabled(false).build())) {
            backend.readActive(updates::add);
            assertThat(backend.telemetry())
                    .containsEntry("driver_open_flows_dropped", 5L)
                    .containsEntry("driver_closed_flows_dropped", 9L)
                    .containsEntry("driver_read_errors", 1L)
                    .containsEntry("driver_stats_errors", 0L);
        }
    }

    @Test
    void theClosedFlowsEventTriggersAClosedTableReadAndCloseStopsTheWaiter() throws Exception {
        FlowRecordFixture closedTcp = tcp4(6);
        closedTcp.flags = 0x210;
        channel.answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.SUCCESS, concat(V18, closedTcp));
        WindowsDriverBackend backend = open(MonitorConfig.builder().dnsEnabled(false).build());
        backend.start();
        channel.pulse(WindowsDriverBackend.CLOSED_FLOWS_EVENT);
        assertThat(sink.await(1)).extracting(ConnectionEvent::flowId).containsExactly(0xC00C1E0006L);
        backend.close();
        backend.close();
        List<String> calls = channel.calls();
        assertThat(calls.subList(calls.size() - 4, calls.size())).containsExactly(
                "SetEvent event:unnamed",
                "CloseHandle event:Global\\DDNPMClosedFlowsReadyEvent",
                "CloseHandle event:unnamed",
                "CloseHandle flowstatshandle");
        assertThat(channel.openHandles()).isEmpty();
        assertThat(backend.telemetry()).containsEntry("driver_closed_flow_wakeups", 1L);
    }

    @Test
    void dnsThatCannotBeSetUpIsOffWithItsReasonAndFlowsStillWork() {
        channel.failOpen("\\\\.\\ddnpm\\transporthandle", Win32Error.ACCESS_DENIED);
        try (WindowsDriverBackend backend = open(MonitorConfig.defaults())) {
            assertThat(backend.features().get(Feature.DNS)).isEqualTo(FeatureStatus.off(
                    "the driver's transport handle could not be set up: "
                            + "CreateFileW(\\\\.\\ddnpm\\transporthandle) failed: ERROR_ACCESS_DENIED (5)"));
            assertThat(backend.features().get(Feature.TCP).enabled()).isTrue();
        }
    }

    @Test
    void featuresSayWhatTheDriverGivesAndWhatItDoesNot() {
        try (WindowsDriverBackend backend = open(MonitorConfig.defaults())) {
            assertThat(backend.readsAllActive()).isTrue();
            assertThat(backend.features().get(Feature.DNS)).isEqualTo(FeatureStatus.on(
                    "driver transport handle, IPv4 with remote port 53 (UDP and TCP); no DNS over IPv6"));
            assertThat(backend.features().get(Feature.NETWORK_NAMESPACE))
                    .isEqualTo(FeatureStatus.off("Windows has no network namespaces; netns is 0"));
            assertThat(backend.features().get(Feature.NAT).enabled()).isFalse();
            assertThat(backend.features().get(Feature.TCP_FAILURES).enabled()).isTrue();
        }
        assertThat(channel.openHandles()).isEmpty();
    }
}
