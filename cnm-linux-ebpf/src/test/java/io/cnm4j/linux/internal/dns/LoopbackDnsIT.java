package io.cnm4j.linux.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.InfoLogCanaries;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.internal.EbpfHostCheck;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DNS statistics end to end over loopback, with nothing but the monitor's own privileges: no
 * namespace, no external tool. The privilege table of the README (eBPF capture plus DNS:
 * CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN, CAP_NET_RAW) is verified by running this test under
 * exactly those capabilities with {@code setpriv}.
 *
 * <p>Without eBPF or the packet socket the test is skipped, except under CI ({@code CI=true}),
 * where it fails.
 */
class LoopbackDnsIT {
    private static final String DOMAIN = "loopback-priv.test";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final InfoLogCanaries LOG = new InfoLogCanaries(DOMAIN);

    @Test
    void queryAndAnswerOverLoopbackBecomeStatistics() throws Exception {
        // given: a resolver socket on a loopback port, and a monitor collecting local DNS on it
        DnsTestTools.requireCapture(EbpfHostCheck.problem().orElse(null));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket resolver = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramSocket stub = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            MonitorConfig config = MonitorConfig.builder().backend(LinuxEbpfBackendProvider.NAME)
                    .dnsPorts(resolver.getLocalPort()).dnsCollectLocal(true).build();
            try (NetworkMonitor monitor = NetworkMonitor.builder().config(config).build()) {
                FlowClient client = monitor.registerClient("loopback-dns-it");
                monitor.start();

                // when: one query, one NOERROR answer
                byte[] query = message(0x5151, 0x0100);
                stub.send(new DatagramPacket(query, query.length, loopback, resolver.getLocalPort()));
                DatagramPacket received = new DatagramPacket(new byte[512], 512);
                resolver.receive(received);
                byte[] answer = message(0x5151, 0x8180);
                resolver.send(new DatagramPacket(answer, answer.length, received.getSocketAddress()));
                stub.receive(new DatagramPacket(new byte[512], 512));

                // then
                DnsStatsKey key = new DnsStatsKey(loopback, loopback, DOMAIN, 1);
                Map<DnsStatsKey, DnsStats> stats = new LinkedHashMap<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!stats.containsKey(key)) {
                    if (System.nanoTime() > deadline) {
                        fail("no statistics for " + DOMAIN + " within " + WAIT + ": " + stats + " "
                                + monitor.telemetry());
                    }
                    Thread.sleep(100);
                    client.poll().dnsStats().forEach(s -> stats.merge(s.key(), s, DnsStats::plus));
                }
                assertThat(monitor.capabilities().has(Feature.DNS)).isTrue();
                assertThat(stats.get(key).countsByRcode()).isEqualTo(Map.of(0, 1L));
                assertThat(stats.get(key).timeouts()).isZero();
            }
        }
    }

    /** Header (id, flags, one question), then the question DOMAIN A IN; no answer records. */
    private static byte[] message(int id, int flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] header = {id, flags, 1, 0, 0, 0};
        for (int field : header) {
            out.write(field >>> 8);
            out.write(field);
        }
        for (String label : DOMAIN.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return out.toByteArray();
    }
}
