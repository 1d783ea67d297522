package io.cnm4j.linux.internal.conntrack;

import static io.cnm4j.linux.internal.conntrack.NatResolverIT.HOST;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.SERVER;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.SERVER_TCP;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.SERVER_UDP;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.VIRTUAL;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.VIRTUAL_TCP;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.VIRTUAL_UDP;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.echoedTcp;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NatTranslation;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.Protocol;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.internal.EbpfHostCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on the eBPF backend: a flow keyed by the tuple the application used (pre-NAT)
 * carries conntrack's translated tuple in {@code nat}, in the record and in its JSON line.
 */
class ConntrackNatIT {
    private static final long WAIT_NANOS = 5_000_000_000L;

    static NatTestNetwork network;
    static NetworkMonitor monitor;
    static FlowClient client;
    static final List<ConnectionStats> seen = new ArrayList<>();

    @BeforeAll
    static void start() {
        Optional<String> problem = EbpfHostCheck.problem();
        if (problem.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("eBPF must work in CI but cannot: " + problem.get());
            }
            Assumptions.abort("eBPF unavailable: " + problem.get());
        }
        network = NatTestNetwork.require();
        String serverNamespace = network.namespace("t");
        network.veth(serverNamespace, "t", HOST, SERVER);
        network.echoServer(serverNamespace, SERVER, SERVER_TCP, SERVER_UDP);
        network.nftTable(null, "ip", "cnm_nat_test_" + NatTestNetwork.RUN + "e", """
                chain out {
                    type nat hook output priority -100; policy accept;
                    ip daddr %1$s tcp dport %2$d dnat to %3$s:%4$d
                    ip daddr %1$s udp dport %5$d dnat to %3$s:%6$d
                }""".formatted(VIRTUAL, VIRTUAL_TCP, SERVER, SERVER_TCP, VIRTUAL_UDP, SERVER_UDP));
        monitor = NetworkMonitor.builder()
                .config(MonitorConfig.defaults().toBuilder().backend(LinuxEbpfBackendProvider.NAME).build()).build();
        client = monitor.registerClient("nat-it");
        monitor.start();
    }

    @AfterAll
    static void stop() {
        if (monitor != null) {
            monitor.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void capabilitiesReportNatOn() {
        assertThat(monitor.capabilities().has(Feature.NAT)).as(monitor.capabilities().report()).isTrue();
    }

    @Test
    void tcpToADnatAddressCarriesTheServerTupleInNat() throws IOException {
        try (Socket socket = echoedTcp(VIRTUAL, VIRTUAL_TCP)) {
            int port = socket.getLocalPort();

            ConnectionStats c = awaitConnection(s -> s.key().protocol() == Protocol.TCP && s.key().localPort() == port
                    && s.key().remoteAddress().equals(ip(VIRTUAL)) && s.key().remotePort() == VIRTUAL_TCP
                    && s.nat() != null);

            assertThat(c.nat()).isEqualTo(new NatTranslation(ip(HOST), port, ip(SERVER), SERVER_TCP));
            assertThat(json(c)).contains("\"nat\":{\"laddr\":\"" + HOST + "\",\"lport\":" + port + ",\"raddr\":\""
                    + SERVER + "\",\"rport\":" + SERVER_TCP + "}");
        }
    }

    @Test
    void udpToADnatAddressIsKeyedPreNatAndCarriesTheServerTupleInNat() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress(VIRTUAL, VIRTUAL_UDP));
            socket.send(new DatagramPacket(new byte[100], 100));
            socket.receive(new DatagramPacket(new byte[200], 200));
            int port = socket.getLocalPort();

            ConnectionStats c = awaitConnection(s -> s.key().protocol() == Protocol.UDP && s.key().localPort() == port
                    && s.nat() != null);

            assertThat(c.key().remoteAddress()).as("flow key is the tuple the application used").isEqualTo(ip(VIRTUAL));
            assertThat(c.key().remotePort()).isEqualTo(VIRTUAL_UDP);
            assertThat(c.nat()).isEqualTo(new NatTranslation(ip(HOST), port, ip(SERVER), SERVER_UDP));
            // the datagram sent and its answer are both on that pre-NAT flow, none under the translated tuple
            List<ConnectionStats> ours = delivered(s -> s.key().protocol() == Protocol.UDP && s.key().localPort() == port
                    && s.key().localAddress().equals(ip(HOST)));
            assertThat(ours).allMatch(s -> s.key().remoteAddress().equals(ip(VIRTUAL)), "keyed pre-NAT");
            assertThat(ours.stream().mapToLong(s -> s.last().bytesSent()).sum()).isEqualTo(100);
            assertThat(ours.stream().mapToLong(s -> s.last().bytesReceived()).sum()).isEqualTo(100);
        }
    }

    @Test
    void aDirectConnectionHasNoNat() throws IOException {
        try (Socket socket = echoedTcp(SERVER, SERVER_TCP)) {
            int port = socket.getLocalPort();

            ConnectionStats c = awaitConnection(s -> s.key().protocol() == Protocol.TCP && s.key().localPort() == port
                    && s.key().remoteAddress().equals(ip(SERVER)));

            assertThat(c.nat()).isNull();
            assertThat(json(c)).contains("\"nat\":null");
        }
    }

    @Test
    void dnatInsideAnotherNamespaceIsResolvedInThatNamespace() throws IOException {
        // given: a client process in a namespace whose own nft rule DNATs its connection
        String namespace = network.namespace("x");
        NatTestNetwork.run("ip", "-n", namespace, "addr", "add", NatResolverIT.CLIENT + "/24", "dev", "lo").check();
        network.echoServer(namespace, NatResolverIT.CLIENT, SERVER_TCP, SERVER_UDP);
        network.nftTable(namespace, "ip", "cnm_nat_test_" + NatTestNetwork.RUN + "x", """
                chain out {
                    type nat hook output priority -100; policy accept;
                    ip daddr %s tcp dport %d dnat to %s:%d
                }""".formatted(NatResolverIT.CLIENT_VIRTUAL, VIRTUAL_TCP, NatResolverIT.CLIENT, SERVER_TCP));
        Process process = network.start("ip", "netns", "exec", namespace, "python3", "-c", NatTestNetwork.TCP_CLIENT,
                NatResolverIT.CLIENT_VIRTUAL, Integer.toString(VIRTUAL_TCP));
        try (OutputStream keepOpen = process.getOutputStream()) {
            int port = Integer.parseInt(NatTestNetwork.readLine(process).strip());

            // when
            ConnectionStats c = awaitConnection(s -> s.key().localPort() == port
                    && s.key().remoteAddress().equals(ip(NatResolverIT.CLIENT_VIRTUAL)));

            // then: translated in the first delivery already
            assertThat(c.key().pid()).isEqualTo((int) process.pid());
            assertThat(c.nat()).isEqualTo(new NatTranslation(ip(NatResolverIT.CLIENT), port, ip(NatResolverIT.CLIENT),
                    SERVER_TCP));
        }
    }

    /** Every connection delivered so far (after one more poll) that matches. */
    private static List<ConnectionStats> delivered(Predicate<ConnectionStats> wanted) {
        synchronized (seen) {
            seen.addAll(client.poll().connections());
            return seen.stream().filter(wanted).toList();
        }
    }

    private static String json(ConnectionStats c) {
        StringWriter out = new StringWriter();
        try (FlowJsonWriter writer = FlowJsonWriter.to(out)) {
            writer.writeConnection(c, Instant.EPOCH);
        }
        return out.toString();
    }

    private static ConnectionStats awaitConnection(Predicate<ConnectionStats> wanted) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            synchronized (seen) {
                seen.addAll(client.poll().connections());
                for (ConnectionStats c : seen) {
                    if (wanted.test(c)) {
                        return c;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    return fail("no such connection within 5 s; telemetry " + monitor.telemetry() + "; saw " + seen);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
