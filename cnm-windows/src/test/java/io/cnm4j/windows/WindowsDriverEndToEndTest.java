package io.cnm4j.windows;

import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.concat;
import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.tcp4;
import static io.cnm4j.windows.internal.protocol.FlowRecordFixture.udp6;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.Family;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.Protocol;
import io.cnm4j.windows.internal.ScriptedDriverChannel;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.FlowRecordFixture;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole path, driver bytes to snapshots, through {@link NetworkMonitor} over a scripted driver. */
class WindowsDriverEndToEndTest {
    private static final DriverVersion V18 = DriverVersion.V18;
    private static final long T0 = 1_700_000_000_000_000_000L;

    private final ScriptedDriverChannel channel = new ScriptedDriverChannel();

    private static FlowRecordFixture refused() {
        FlowRecordFixture record = tcp4(3);
        record.connectionStatus = 3;
        record.flags = 0x210;
        return record;
    }

    private static ConnectionStats byPort(FlowSnapshot snapshot, int localPort) {
        return snapshot.connections().stream().filter(c -> c.key().localPort() == localPort)
                .min(Comparator.comparing(c -> c.key().protocol())).orElseThrow();
    }

    @Test
    void driverRecordsAndCapturedDnsBecomeSnapshotsWithExactDeltasAndClosedOnce() throws Exception {
        FlowRecordFixture later = tcp4(1);
        later.transportBytesOut = 1_500;
        later.transportBytesIn = 2_600;
        FlowRecordFixture lingering = refused();
        lingering.flags = 0x200;
        FlowRecordFixture finished = tcp4(1);
        finished.transportBytesOut = 1_500;
        finished.transportBytesIn = 2_600;
        finished.flags = 0x210;
        FlowRecordFixture refusedLocal = refused();
        refusedLocal.localPort = 50_003;
        channel.answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS, concat(V18, tcp4(1), udp6(2)))
                .answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.SUCCESS, concat(V18, refusedLocal))
                .answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS, concat(V18, later, lingering))
                .answer(IoctlCode.GET_OPEN_FLOWS, Win32Error.SUCCESS, new byte[0])
                .answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.NO_MORE_ITEMS, new byte[0])
                .answer(IoctlCode.GET_CLOSED_FLOWS, Win32Error.SUCCESS, concat(V18, finished));
        byte[] client = {10, 0, 0, 5};
        byte[] resolver = {8, 8, 4, 4};
        byte[] answer = {93, (byte) 184, (byte) 216, 34};
        channel.complete(0, Win32Error.SUCCESS, captured(udp(client, 50_001, resolver, 53, dnsQuery()), T0))
                .complete(1, Win32Error.SUCCESS, captured(udp(resolver, 53, client, 50_001, dnsAnswer(answer)),
                        T0 + 3_000_000));

        WindowsDriverBackendProvider provider = new WindowsDriverBackendProvider("Windows Server 2022", () -> channel);
        try (NetworkMonitor monitor = NetworkMonitor.builder().backend(provider).config(MonitorConfig.defaults()).build()) {
            FlowClient client1 = monitor.registerClient("e2e");
            monitor.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (channel.readsIssued() < 102 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            FlowSnapshot first = client1.poll();
            assertThat(first.backend()).isEqualTo("windows-driver");
            assertThat(first.connections()).hasSize(3);
            ConnectionStats open = byPort(first, 50_000);
            assertThat(open.key().family()).isEqualTo(Family.V4);
            assertThat(open.key().remoteAddress()).isEqualTo(InetAddress.getByAddress(answer));
            assertThat(open.key().pid()).isEqualTo(4242);
            assertThat(open.last()).isEqualTo(new Counters(1_000, 2_000, 11, 12, 2, 1, 0));
            assertThat(open.rttMicros()).isEqualTo(1_250);
            assertThat(open.closed()).isFalse();
            assertThat(open.dnsNames()).containsExactly("example.com");
            ConnectionStats failed = byPort(first, 50_003);
            assertThat(failed.closed()).isTrue();
            assertThat(failed.tcpFailures()).isEqualTo(Map.of(111, 1L));
            assertThat(failed.last()).isEqualTo(new Counters(1_000, 2_000, 11, 12, 2, 0, 1));
            ConnectionStats udp = byPort(first, 53_000);
            assertThat(udp.key().family()).isEqualTo(Family.V6);
            assertThat(udp.key().protocol()).isEqualTo(Protocol.UDP);
            assertThat(udp.last()).isEqualTo(new Counters(1_000, 2_000, 11, 12, 0, 0, 0));
            List<DnsStats> dns = first.dnsStats();
            assertThat(dns).hasSize(1);
            assertThat(dns.getFirst().key().domain()).isEqualTo("example.com");
            assertThat(dns.getFirst().countsByRcode()).isEqualTo(Map.of(0, 1L));
            assertThat(dns.getFirst().successLatencySumMicros()).isEqualTo(3_000);

            FlowSnapshot second = client1.poll();
            assertThat(second.connections()).hasSize(1);
            assertThat(second.connections().getFirst().last()).isEqualTo(new Counters(500, 600, 0, 0, 0, 0, 0));
            // The refused flow lingers in the open table (WINA-2711) and is not reported closed again.
            assertThat(second.telemetry().get("driver_closed_duplicates_skipped")).isEqualTo(1);

            FlowSnapshot third = client1.poll();
            assertThat(third.connections()).hasSize(1);
            ConnectionStats closed = third.connections().getFirst();
            assertThat(closed.closed()).isTrue();
            assertThat(closed.total()).isEqualTo(new Counters(1_500, 2_600, 11, 12, 2, 1, 1));
            assertThat(closed.last()).isEqualTo(new Counters(0, 0, 0, 0, 0, 0, 1));

            assertThat(client1.poll().connections()).isEmpty();
        }
        assertThat(channel.openHandles()).isEmpty();
    }

    private static byte[] captured(byte[] packet, long epochNanos) {
        ByteBuffer b = ByteBuffer.allocate(72 + packet.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0xddfd00000018L).putLong(72).putLong(0).putLong(1).putLong(1).putLong(packet.length).putLong(2)
                .putLong(-1).putLong(epochNanos).put(packet);
        return b.array();
    }

    private static byte[] udp(byte[] source, int sourcePort, byte[] destination, int destinationPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putInt(0).put((byte) 64)
                .put((byte) 17).putShort((short) 0).put(source).put(destination)
                .putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        return b.array();
    }

    /** Query id 0x0101 for example.com A. */
    private static byte[] dnsQuery() {
        return ByteBuffer.allocate(29).putShort((short) 0x0101).putShort((short) 0x0100).putShort((short) 1)
                .putShort((short) 0).putInt(0).put(name()).putShort((short) 1).putShort((short) 1).array();
    }

    private static byte[] dnsAnswer(byte[] address) {
        return ByteBuffer.allocate(45).putShort((short) 0x0101).putShort((short) 0x8180).putShort((short) 1)
                .putShort((short) 1).putInt(0).put(name()).putShort((short) 1).putShort((short) 1)
                .putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(300).putShort((short) 4)
                .put(address).array();
    }

    private static byte[] name() {
        return new byte[] {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};
    }
}
