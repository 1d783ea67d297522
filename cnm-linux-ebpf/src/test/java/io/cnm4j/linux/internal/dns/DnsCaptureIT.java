package io.cnm4j.linux.internal.dns;

import static io.cnm4j.linux.internal.dns.DnsTestTools.WAIT;
import static io.cnm4j.linux.internal.dns.DnsTestTools.answers;
import static io.cnm4j.linux.internal.dns.DnsTestTools.awaitAnswer;
import static io.cnm4j.linux.internal.dns.DnsTestTools.awaitTelemetry;
import static io.cnm4j.linux.internal.dns.DnsTestTools.closeStreams;
import static io.cnm4j.linux.internal.dns.DnsTestTools.collectUntil;
import static io.cnm4j.linux.internal.dns.DnsTestTools.digAt;
import static io.cnm4j.linux.internal.dns.DnsTestTools.key;
import static io.cnm4j.linux.internal.dns.DnsTestTools.requireRootAndTools;
import static io.cnm4j.linux.internal.dns.DnsTestTools.run;
import static io.cnm4j.linux.internal.dns.DnsTestTools.runIgnoringFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.InfoLogCanaries;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DNS capture against the real kernel: a dnsmasq resolver inside a network namespace of its own,
 * reached from the host namespace over a veth pair, queried with dig over UDP, TCP and IPv6.
 *
 * <pre>
 *   host namespace                              namespace cnmdns
 *   cnmdns-h 10.231.0.1/24, fd00:231::1/64  ==  cnmdns-n 10.231.0.2/24, fd00:231::2/64 (dnsmasq :53)
 *   10.231.0.77: static neighbour with a MAC nobody has, so queries leave and are never answered
 * </pre>
 *
 * Zone: a.test A 10.231.0.50; v6.test AAAA fd00:231::60; alias.test CNAME middle.test CNAME
 * target.test A 10.231.0.70; every other *.test NXDOMAIN; broken.test delegated to upstream
 * servers that do not exist, so REFUSED.
 *
 * <p>Needs root, ip, dnsmasq and dig; without them the test is skipped, except under CI
 * ({@code CI=true}), where it fails.
 */
class DnsCaptureIT {
    private static final String NAMESPACE = "cnmdns";
    private static final String HOST_SIDE = "cnmdns-h";
    private static final String NAMESPACE_SIDE = "cnmdns-n";
    private static final String CLIENT = "10.231.0.1";
    private static final String SERVER = "10.231.0.2";
    private static final String CLIENT6 = "fd00:231::1";
    private static final String SERVER6 = "fd00:231::2";
    private static final String SILENT_SERVER = "10.231.0.77";
    private static final String RESOLVED = "10.231.0.50";

    /** The names and addresses this class's DNS traffic carries; none may reach the INFO log. */
    @RegisterExtension
    static final InfoLogCanaries LOG = new InfoLogCanaries("a.test", "v6.test", "alias.test", "nope.test",
            "broken.test", "timeout.test", RESOLVED, "10.231.0.70", "fd00:231::60", SERVER, SILENT_SERVER);

    private static final List<Process> resolvers = new ArrayList<>();
    private static boolean namespaceTouched;

    @BeforeAll
    static void createNamespaceWithResolver() throws Exception {
        requireRootAndTools();
        namespaceTouched = true;
        deleteNamespace();
        run("ip", "netns", "add", NAMESPACE);
        run("ip", "link", "add", HOST_SIDE, "type", "veth", "peer", "name", NAMESPACE_SIDE, "netns", NAMESPACE);
        run("ip", "addr", "add", CLIENT + "/24", "dev", HOST_SIDE);
        run("ip", "addr", "add", CLIENT6 + "/64", "dev", HOST_SIDE, "nodad");
        run("ip", "link", "set", HOST_SIDE, "up");
        run("ip", "-n", NAMESPACE, "addr", "add", SERVER + "/24", "dev", NAMESPACE_SIDE);
        run("ip", "-n", NAMESPACE, "addr", "add", SERVER6 + "/64", "dev", NAMESPACE_SIDE, "nodad");
        run("ip", "-n", NAMESPACE, "link", "set", NAMESPACE_SIDE, "up");
        run("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
        // Without a neighbour entry a query to the silent server would wait for ARP and never leave.
        run("ip", "neigh", "replace", SILENT_SERVER, "lladdr", "02:00:00:00:02:77", "dev", HOST_SIDE,
                "nud", "permanent");
        startResolver("ip", "netns", "exec", NAMESPACE, "dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts",
                "--bind-interfaces", "--listen-address=" + SERVER, "--listen-address=" + SERVER6, "--port=53",
                "--local=/test/", "--address=/a.test/10.231.0.50", "--host-record=v6.test,fd00:231::60",
                "--host-record=target.test,10.231.0.70", "--cname=alias.test,middle.test",
                "--cname=middle.test,target.test", "--server=/broken.test/#", "--pid-file=");
        awaitAnswer(SERVER, 53, "a.test", "10.231.0.50");
        awaitAnswer(SERVER6, 53, "a.test", "10.231.0.50");
    }

    @AfterAll
    static void removeNamespaceAndResolvers() throws Exception {
        for (Process resolver : resolvers) {
            resolver.destroy();
            if (!resolver.waitFor(5, TimeUnit.SECONDS)) {
                resolver.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            closeStreams(resolver);
        }
        resolvers.clear();
        if (namespaceTouched) {
            deleteNamespace();
        }
    }

    @Test
    void countsEveryQueryByDomainAndRcodeWithLatencyAndTimeoutsAndLabelsAnswers() throws Exception {
        // given
        MonitorConfig config = MonitorConfig.builder().dnsTimeout(Duration.ofSeconds(1)).build();
        try (DnsCapture capture = DnsCapture.open(config)) {
            capture.start();

            // when
            dig(SERVER, "a.test", "A");
            dig(SERVER, "a.test", "A");
            dig(SERVER, "a.test", "A", "+tcp");
            dig(SERVER, "v6.test", "AAAA");
            dig(SERVER, "alias.test", "A");
            dig(SERVER, "nope.test", "A");
            dig(SERVER, "nope.test", "A", "+tcp");
            dig(SERVER, "y.broken.test", "A");
            dig(SERVER6, "a.test", "A");
            dig(SILENT_SERVER, "timeout.test", "A");
            Map<DnsStatsKey, DnsStats> stats = collectUntil(capture,
                    s -> s.containsKey(key(CLIENT, SILENT_SERVER, "timeout.test", 1)));

            // then
            // The host's own DNS traffic may be captured too; only our servers' statistics count here.
            Set<InetAddress> ourServers = Set.of(InetAddress.getByName(SERVER), InetAddress.getByName(SERVER6),
                    InetAddress.getByName(SILENT_SERVER));
            Map<DnsStatsKey, DnsStats> ours = new LinkedHashMap<>(stats);
            ours.keySet().removeIf(k -> !ourServers.contains(k.server()));
            assertThat(ours.keySet()).containsExactlyInAnyOrder(
                    key(CLIENT, SERVER, "a.test", 1), key(CLIENT, SERVER, "v6.test", 28),
                    key(CLIENT, SERVER, "alias.test", 1), key(CLIENT, SERVER, "nope.test", 1),
                    key(CLIENT, SERVER, "y.broken.test", 1), key(CLIENT6, SERVER6, "a.test", 1),
                    key(CLIENT, SILENT_SERVER, "timeout.test", 1));
            assertAnswered(ours.get(key(CLIENT, SERVER, "a.test", 1)), Map.of(0, 3L));
            assertAnswered(ours.get(key(CLIENT, SERVER, "v6.test", 28)), Map.of(0, 1L));
            assertAnswered(ours.get(key(CLIENT, SERVER, "alias.test", 1)), Map.of(0, 1L));
            assertAnswered(ours.get(key(CLIENT, SERVER, "nope.test", 1)), Map.of(3, 2L));
            assertAnswered(ours.get(key(CLIENT, SERVER, "y.broken.test", 1)), Map.of(5, 1L));
            assertAnswered(ours.get(key(CLIENT6, SERVER6, "a.test", 1)), Map.of(0, 1L));
            DnsStats silent = ours.get(key(CLIENT, SILENT_SERVER, "timeout.test", 1));
            assertThat(silent.timeouts()).isEqualTo(1);
            assertThat(silent.countsByRcode()).isEmpty();

            assertThat(capture.namesFor(InetAddress.getByName("10.231.0.50"))).containsExactly("a.test");
            assertThat(capture.namesFor(InetAddress.getByName("10.231.0.70"))).containsExactly("alias.test");
            assertThat(capture.namesFor(InetAddress.getByName("fd00:231::60"))).containsExactly("v6.test");
            assertThat(capture.namesFor(InetAddress.getByName("10.231.0.99"))).isEmpty();

            Map<String, Long> telemetry = awaitTelemetry(capture, t -> t.get("dns_timeouts") >= 1);
            assertThat(telemetry).containsEntry("dns_packets_kernel_dropped", 0L)
                    .containsEntry("dns_parse_errors", 0L)
                    .containsEntry("dns_capture_errors", 0L);
            assertThat(telemetry.get("dns_packets_captured")).isPositive();
            assertThat(telemetry.get("dns_matched_responses")).isGreaterThanOrEqualTo(9);
        }
    }

    @Test
    void loopbackResolverIsCountedOnceWhenLocalDnsIsCollectedAndIgnoredOtherwise() throws Exception {
        // given: a resolver on the host's loopback, on a port nothing else uses
        int port = startLoopbackResolver();
        MonitorConfig base = MonitorConfig.builder().dnsPorts(port).build();
        try (DnsCapture collecting = DnsCapture.open(base.toBuilder().dnsCollectLocal(true).build());
                DnsCapture ignoring = DnsCapture.open(base)) {
            collecting.start();
            ignoring.start();

            // when
            digAt("127.0.0.1", port, "a.test", "A");
            Map<DnsStatsKey, DnsStats> collected = collectUntil(collecting,
                    s -> s.containsKey(key("127.0.0.1", "127.0.0.1", "a.test", 1)));

            // then: each loopback packet passes the socket twice, yet counts once
            assertAnswered(collected.get(key("127.0.0.1", "127.0.0.1", "a.test", 1)), Map.of(0, 1L));
            assertThat(ignoring.drainStats()).isEmpty();
            assertThat(awaitTelemetry(ignoring, t -> t.get("dns_packets_local_ignored") >= 2))
                    .containsEntry("dns_packets_local_ignored", 2L)
                    .containsEntry("dns_messages_parsed", 0L);
            assertThat(awaitTelemetry(collecting, t -> t.get("dns_matched_responses") >= 1))
                    .containsEntry("dns_matched_responses", 1L)
                    .containsEntry("dns_unsolicited_responses", 0L)
                    .containsEntry("dns_mismatched_responses", 0L)
                    .containsEntry("dns_duplicate_queries", 0L);
        }
    }

    @Test
    void monitorDeliversDnsStatsAndLabelsAConnectionToAResolvedAddress() throws Exception {
        // given: a TCP server in the namespace on the address that a.test resolves to
        run("ip", "-n", NAMESPACE, "addr", "replace", RESOLVED + "/24", "dev", NAMESPACE_SIDE);
        startResolver("ip", "netns", "exec", NAMESPACE, "python3", "-c",
                "import socket\ns=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                        + "s.bind(('" + RESOLVED + "', 8053)); s.listen()\n"
                        + "while True:\n    c,_=s.accept(); c.recv(64); c.close()");
        MonitorConfig config = MonitorConfig.builder().backend(LinuxEbpfBackendProvider.NAME).build();
        try (NetworkMonitor monitor = NetworkMonitor.builder().config(config).build()) {
            FlowClient client = monitor.registerClient("dns-it");
            monitor.start();

            // when: the name is resolved, then a connection is made to its address
            dig(SERVER, "a.test", "A");
            connectWithRetry(RESOLVED, 8053);

            // then
            List<ConnectionStats> connections = new ArrayList<>();
            Map<DnsStatsKey, DnsStats> dns = new LinkedHashMap<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (connections.stream().noneMatch(c -> c.closed() && c.key().remotePort() == 8053)
                    || !dns.containsKey(key(CLIENT, SERVER, "a.test", 1))) {
                if (System.nanoTime() > deadline) {
                    fail("no labelled connection or DNS statistics within " + WAIT + ": " + connections + " " + dns);
                }
                Thread.sleep(100);
                FlowSnapshot snapshot = client.poll();
                connections.addAll(snapshot.connections());
                snapshot.dnsStats().forEach(d -> dns.merge(d.key(), d, DnsStats::plus));
            }
            assertThat(monitor.capabilities().has(Feature.DNS)).isTrue();
            assertThat(connections).filteredOn(c -> c.key().remotePort() == 8053)
                    .allSatisfy(c -> assertThat(c.dnsNames()).containsExactly("a.test"));
            assertAnswered(dns.get(key(CLIENT, SERVER, "a.test", 1)), Map.of(0, 1L));
        }
    }

    /** The server process may still be starting: retry refused connects for a few seconds. */
    private static void connectWithRetry(String address, int port) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Socket socket = new Socket(address, port)) {
                socket.getOutputStream().write(new byte[] {1, 2, 3});
                return;
            } catch (IOException refused) {
                if (System.nanoTime() > deadline) {
                    throw refused;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void assertAnswered(DnsStats stats, Map<Integer, Long> expectedRcodes) {
        assertThat(stats.countsByRcode()).as("%s", stats.key()).isEqualTo(expectedRcodes);
        assertThat(stats.timeouts()).as("%s", stats.key()).isZero();
        long latencySum = stats.successLatencySumMicros() + stats.failureLatencySumMicros();
        assertThat(latencySum).as("latency of %s", stats.key()).isPositive();
        assertThat(stats.latencyHistogramMicros().getTotalCount()).isEqualTo(stats.responses());
        if (expectedRcodes.containsKey(0)) {
            assertThat(stats.successLatencySumMicros()).as("success latency of %s", stats.key()).isPositive();
        } else {
            assertThat(stats.successLatencySumMicros()).isZero();
        }
    }

    private static void dig(String server, String name, String type, String... options) throws Exception {
        digAt(server, 53, name, type, options);
    }

    /**
     * Starts dnsmasq on a free loopback port and returns the port once it answers. A port found
     * free can be taken before dnsmasq binds it (tests run beside other traffic), so a resolver
     * that exits is retried on another port; its own output explains a final failure.
     */
    private static int startLoopbackResolver() throws Exception {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freeUdpPort();
            Path log = Files.createTempFile("cnm-dnsmasq", ".log");
            Process resolver = new ProcessBuilder("dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts",
                    "--bind-interfaces", "--listen-address=127.0.0.1", "--port=" + port, "--local=/test/",
                    "--address=/a.test/10.231.0.50", "--pid-file=").redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            resolvers.add(resolver);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (resolver.isAlive() && System.nanoTime() < deadline) {
                if (answers("127.0.0.1", port, "a.test", "10.231.0.50")) {
                    Files.delete(log);
                    return port;
                }
                Thread.sleep(100);
            }
            resolver.destroy();
            failures.append("port ").append(port).append(": ").append(Files.readString(log).trim()).append("; ");
            Files.delete(log);
        }
        return fail("dnsmasq on loopback never answered: " + failures);
    }

    private static void startResolver(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        resolvers.add(process);
    }

    /** A loopback port free for both UDP and TCP: dnsmasq listens on both and exits if either is taken. */
    private static int freeUdpPort() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    java.net.ServerSocket tcp = new java.net.ServerSocket()) {
                // without SO_REUSEADDR, as a port still in TIME_WAIT from earlier tests must count as taken
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
                return udp.getLocalPort();
            } catch (java.net.BindException takenForTcp) {
                if (attempt == 20) {
                    throw takenForTcp;
                }
            }
        }
    }

    private static void deleteNamespace() throws Exception {
        // Deleting the namespace destroys its end of the veth pair, which takes the host end along.
        runIgnoringFailure("ip", "netns", "del", NAMESPACE);
        runIgnoringFailure("ip", "link", "del", HOST_SIDE);
    }
}
