package io.cnm4j.windows.internal.dns;

import static io.cnm4j.windows.internal.dns.CapturedPackets.CLIENT;
import static io.cnm4j.windows.internal.dns.CapturedPackets.RESOLVER;
import static io.cnm4j.windows.internal.dns.CapturedPackets.captured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.ScriptedDriverChannel;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriverDnsCaptureTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final byte[] ANSWER = {93, (byte) 184, (byte) 216, 34};

    private final ScriptedDriverChannel channel = new ScriptedDriverChannel();

    private DriverDnsCapture open() {
        return DriverDnsCapture.open(channel, DriverVersion.V18, MonitorConfig.defaults(), () -> T0 + 1_000_000_000L);
    }

    private static byte[] udpQuery() {
        return CapturedPackets.udp(CLIENT, 50_001, RESOLVER, 53, CapturedPackets.query(0x1234, "example.com"));
    }

    private static byte[] udpResponse() {
        return CapturedPackets.udp(RESOLVER, 53, CLIENT, 50_001,
                CapturedPackets.response(0x1234, "example.com", 0, ANSWER));
    }

    @Test
    void opensWithTwoDataFiltersBeforeThePortAndQueuesOneHundredReads() {
        try (DriverDnsCapture capture = open()) {
            assertThat(channel.calls()).containsExactly(
                    "CreateFileW \\\\.\\ddnpm\\transporthandle overlapped",
                    "DeviceIoControl transporthandle SET_DATA_FILTER in=160 out=8",
                    "DeviceIoControl transporthandle SET_DATA_FILTER in=160 out=8",
                    "CreateIoCompletionPort transporthandle");
            assertThat(channel.readsIssued()).isEqualTo(100);
            assertThat(capture.outstandingReads()).isEqualTo(100);
            List<byte[]> filters = channel.inputs(IoctlCode.SET_DATA_FILTER);
            ByteBuffer outbound = ByteBuffer.wrap(filters.get(0)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer inbound = ByteBuffer.wrap(filters.get(1)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(outbound.getLong(0)).isEqualTo(0xddfd00000018L);
            assertThat(outbound.getLong(8)).isEqualTo(160);
            assertThat(outbound.getLong(16)).isEqualTo(1);
            assertThat(outbound.getLong(24)).isEqualTo(2);
            assertThat(outbound.getLong(120)).isEqualTo(53);
            assertThat(outbound.getLong(128)).isZero();
            assertThat(outbound.getLong(136)).isEqualTo(1);
            assertThat(inbound.getLong(136)).isZero();
        }
    }

    @Test
    void aUdpQueryAndItsResponseBecomeOneDnsStatistic() throws Exception {
        try (DriverDnsCapture capture = open()) {
            channel.complete(0, Win32Error.SUCCESS, captured(udpQuery(), 0, T0))
                    .complete(1, Win32Error.SUCCESS, captured(udpResponse(), 0, T0 + 2_000_000));
            assertThat(capture.pollOnce(0)).isTrue();
            assertThat(capture.pollOnce(0)).isTrue();
            assertThat(capture.pollOnce(0)).isFalse();
            assertThat(channel.readsIssued()).as("both reads re-issued").isEqualTo(102);
            assertThat(capture.outstandingReads()).isEqualTo(100);

            List<DnsStats> stats = capture.drainStats();
            assertThat(stats).hasSize(1);
            DnsStats only = stats.getFirst();
            assertThat(only.key()).isEqualTo(new DnsStatsKey(InetAddress.getByAddress(CLIENT),
                    InetAddress.getByAddress(RESOLVER), "example.com", 1));
            assertThat(only.countsByRcode()).containsExactly(Map.entry(0, 1L));
            assertThat(only.successLatencySumMicros()).isEqualTo(2_000);
            assertThat(capture.namesFor(InetAddress.getByAddress(ANSWER))).containsExactly("example.com");
        }
    }

    @Test
    void dnsOverTcpIsReassembledFromSegments() throws Exception {
        byte[] query = CapturedPackets.tcpFramed(CapturedPackets.query(0x4321, "example.org"));
        byte[] response = CapturedPackets.tcpFramed(CapturedPackets.response(0x4321, "example.org", 3, null));
        try (DriverDnsCapture capture = open()) {
            channel.complete(5, Win32Error.SUCCESS, captured(CapturedPackets.tcp(CLIENT, 50_002, RESOLVER, 53, 1000, 0x18,
                            query), 0, T0))
                    .complete(6, Win32Error.SUCCESS, captured(CapturedPackets.tcp(RESOLVER, 53, CLIENT, 50_002, 9000, 0x18,
                            response), 0, T0 + 5_000_000));
            capture.pollOnce(0);
            capture.pollOnce(0);
            DnsStats only = capture.drainStats().getFirst();
            assertThat(only.key().domain()).isEqualTo("example.org");
            assertThat(only.countsByRcode()).containsExactly(Map.entry(3, 1L));
            assertThat(only.failureLatencySumMicros()).isEqualTo(5_000);
        }
    }

    @Test
    void badCompletionsAreCountedAndTheirReadsReissued() {
        try (DriverDnsCapture capture = open()) {
            channel.complete(0, Win32Error.SUCCESS, new byte[40])
                    .complete(1, Win32Error.SUCCESS, captured(0xddfd00000016L, 2, udpQuery(), udpQuery().length, 0, T0))
                    .complete(2, Win32Error.SUCCESS, captured(CapturedPackets.SIGNATURE_V18, 23, udpQuery(),
                            udpQuery().length, 4, T0))
                    .complete(3, Win32Error.INVALID_PARAMETER, new byte[0])
                    .complete(4, Win32Error.SUCCESS, captured(CapturedPackets.udp(CLIENT, 1, RESOLVER, 80, new byte[4]), 2, T0))
                    .complete(5, Win32Error.SUCCESS, captured(CapturedPackets.SIGNATURE_V18, 2, udpQuery(), 20, 0, T0));
            for (int i = 0; i < 6; i++) {
                assertThat(capture.pollOnce(0)).isTrue();
            }
            capture.tick();
            assertThat(capture.telemetry())
                    .containsEntry("dns_packets_received", 5L)
                    .containsEntry("dns_bad_headers_dropped", 2L)
                    .containsEntry("dns_packets_not_ipv4", 1L)
                    .containsEntry("dns_read_errors", 1L)
                    .containsEntry("dns_packets_not_dns", 1L)
                    .containsEntry("dns_packets_truncated", 1L)
                    .containsEntry("dns_packets_skipped_by_driver", 6L)
                    .containsEntry("dns_messages_parsed", 0L);
            assertThat(channel.readsIssued()).isEqualTo(106);
        }
    }

    @Test
    void statisticsAreReadWithAnEventNeverSynchronouslyOnThePortBoundHandle() {
        byte[] stats = new byte[280];
        ByteBuffer.wrap(stats).order(ByteOrder.LITTLE_ENDIAN).putLong(200, 17).putLong(208, 1000);
        channel.answer(IoctlCode.GETSTATS, Win32Error.SUCCESS, stats);
        try (DriverDnsCapture capture = open()) {
            capture.tick();
            assertThat(channel.calls()).last().isEqualTo("DeviceIoControlWithEvent transporthandle GETSTATS in=8 out=280");
            assertThat(channel.inputs(IoctlCode.GETSTATS).getFirst())
                    .isEqualTo(new byte[] {0x18, 0, 0, 0, (byte) 0xfd, (byte) 0xdd, 0, 0});
            assertThat(capture.telemetry()).containsEntry("driver_read_packets_dropped", 17L)
                    .containsEntry("driver_read_calls_requested", 1000L);
        }
    }

    @Test
    void closeCancelsDrainsEveryReadThenClosesPortAndHandleOnce() {
        DriverDnsCapture capture = open();
        channel.complete(0, Win32Error.SUCCESS, captured(udpQuery(), 0, T0));
        capture.pollOnce(0);
        // A read that completes while closing is handled but not issued again.
        channel.complete(1, Win32Error.SUCCESS, captured(udpResponse(), 0, T0 + 1_000_000));
        capture.close();
        capture.close();
        List<String> calls = channel.calls();
        assertThat(calls.subList(calls.size() - 3, calls.size())).containsExactly(
                "CancelIoEx transporthandle", "CloseHandle port", "CloseHandle transporthandle");
        assertThat(channel.readsIssued()).isEqualTo(101);
        assertThat(capture.outstandingReads()).isZero();
        assertThat(capture.telemetry()).containsEntry("dns_reads_cancelled", 99L)
                .containsEntry("dns_packets_received", 2L);
        assertThat(channel.openHandles()).isEmpty();
    }

    @Test
    void aRefusedFilterFailsOpenAndClosesTheHandle() {
        channel.answer(IoctlCode.SET_DATA_FILTER, Win32Error.INVALID_PARAMETER, new byte[0]);
        assertThatThrownBy(this::open).isInstanceOf(DriverException.class)
                .hasMessage("DeviceIoControl(SET_DATA_FILTER) failed: ERROR_INVALID_PARAMETER (87)");
        assertThat(channel.openHandles()).isEmpty();
        assertThat(channel.calls()).last().isEqualTo("CloseHandle transporthandle");
    }
}
