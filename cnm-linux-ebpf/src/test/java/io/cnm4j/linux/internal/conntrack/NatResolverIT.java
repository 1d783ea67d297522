package io.cnm4j.linux.internal.conntrack;

import static io.cnm4j.linux.internal.conntrack.NatTestNetwork.SUBNET;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.NatTranslation;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NAT resolution against the real kernel: nft NAT rules in this run's own namespaces, flows
 * through them, and the exact translated tuple conntrack reports for each.
 */
class NatResolverIT {
    static final String HOST = "10.77." + SUBNET + ".1";
    static final String SERVER = "10.77." + SUBNET + ".2";
    /** Not configured anywhere: only the DNAT rule makes it reachable. */
    static final String VIRTUAL = "10.77." + SUBNET + ".99";
    static final String CLIENT_GATEWAY = "10.78." + SUBNET + ".1";
    static final String CLIENT = "10.78." + SUBNET + ".2";
    static final String CLIENT_VIRTUAL = "10.78." + SUBNET + ".99";
    static final int SERVER_TCP = 8080;
    static final int SERVER_UDP = 8081;
    static final int VIRTUAL_TCP = 80;
    static final int VIRTUAL_UDP = 9053;
    private static final long WAIT_NANOS = 5_000_000_000L;

    static NatTestNetwork network;
    static String clientNamespace;
    static NatResolver resolver;

    @BeforeAll
    static void createNetwork() {
        network = NatTestNetwork.require();
        String serverNamespace = network.namespace("s");
        network.veth(serverNamespace, "s", HOST, SERVER);
        network.echoServer(serverNamespace, SERVER, SERVER_TCP, SERVER_UDP);
        clientNamespace = network.namespace("c");
        network.veth(clientNamespace, "c", CLIENT_GATEWAY, CLIENT);
        NatTestNetwork.run("ip", "-n", clientNamespace, "route", "add", "default", "via", CLIENT_GATEWAY).check();
        // Forwarding on this run's two links only, not host-wide (IPv4 checks the input link's flag).
        for (String link : new String[] {NatTestNetwork.rootLink("c"), NatTestNetwork.rootLink("s")}) {
            NatTestNetwork.run("sysctl", "-q", "-w", "net.ipv4.conf." + link + ".forwarding=1").check();
        }
        network.echoServer(clientNamespace, CLIENT, SERVER_TCP, SERVER_UDP);
        network.nftTable(null, "ip", "cnm_nat_test_" + NatTestNetwork.RUN, """
                chain out {
                    type nat hook output priority -100; policy accept;
                    ip daddr %1$s tcp dport %2$d dnat to %3$s:%4$d
                    ip daddr %1$s udp dport %5$d dnat to %3$s:%6$d
                }
                chain post {
                    type nat hook postrouting priority 100; policy accept;
                    ip saddr %7$s/24 oifname "%8$s" masquerade
                }""".formatted(VIRTUAL, VIRTUAL_TCP, SERVER, SERVER_TCP, VIRTUAL_UDP, SERVER_UDP, CLIENT,
                NatTestNetwork.rootLink("s")));
        network.nftTable(clientNamespace, "ip", "cnm_nat_test_" + NatTestNetwork.RUN + "c", """
                chain out {
                    type nat hook output priority -100; policy accept;
                    ip daddr %s tcp dport %d dnat to %s:%d
                }""".formatted(CLIENT_VIRTUAL, VIRTUAL_TCP, CLIENT, SERVER_TCP));
        resolver = NatResolver.open(true, NatSettings.DEFAULTS);
        resolver.start();
    }

    @AfterAll
    static void removeNetwork() {
        if (resolver != null) {
            resolver.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void natIsOnWithTheRootNamespaceOpened() {
        assertThat(resolver.status().enabled()).as(resolver.status().reason()).isTrue();
    }

    @Test
    void tcpToADnatAddressTranslatesToTheServerOnBothEnds() throws IOException {
        try (Socket socket = echoedTcp(VIRTUAL, VIRTUAL_TCP)) {
            int port = socket.getLocalPort();

            NatTranslation client = await(() -> resolver.lookup(Protocol.TCP, ip(HOST), port, ip(VIRTUAL),
                    VIRTUAL_TCP, NetworkNamespaces.own(), 0));
            // the server's socket, as the flow it sees (it lives in its namespace, the NAT in ours)
            NatTranslation server = resolver.lookup(Protocol.TCP, ip(SERVER), SERVER_TCP, ip(HOST), port, 0, 0);

            assertThat(client).isEqualTo(new NatTranslation(ip(HOST), port, ip(SERVER), SERVER_TCP));
            assertThat(server).isEqualTo(new NatTranslation(ip(VIRTUAL), VIRTUAL_TCP, ip(HOST), port));
        }
    }

    @Test
    void udpToADnatAddressTranslatesToTheServer() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress(VIRTUAL, VIRTUAL_UDP));
            socket.send(new DatagramPacket(new byte[100], 100));
            DatagramPacket answer = new DatagramPacket(new byte[200], 200);
            socket.receive(answer);
            assertThat(answer.getLength()).isEqualTo(100);
            int port = socket.getLocalPort();

            NatTranslation nat = await(() -> resolver.lookup(Protocol.UDP, ip(HOST), port, ip(VIRTUAL),
                    VIRTUAL_UDP, 0, 0));

            assertThat(nat).isEqualTo(new NatTranslation(ip(HOST), port, ip(SERVER), SERVER_UDP));
            assertThat(resolver.lookup(Protocol.TCP, ip(HOST), port, ip(VIRTUAL), VIRTUAL_UDP, 0, 0))
                    .as("same tuple, other protocol").isNull();
        }
    }

    @Test
    void anUntranslatedConnectionHasNoTranslation() throws IOException {
        try (Socket direct = echoedTcp(SERVER, SERVER_TCP); Socket translated = echoedTcp(VIRTUAL, VIRTUAL_TCP)) {
            // events come in order: once the later, translated connection is known, the direct one was seen too
            await(() -> resolver.lookup(Protocol.TCP, ip(HOST), translated.getLocalPort(), ip(VIRTUAL),
                    VIRTUAL_TCP, 0, 0));

            assertThat(resolver.lookup(Protocol.TCP, ip(HOST), direct.getLocalPort(), ip(SERVER), SERVER_TCP, 0, 0))
                    .isNull();
        }
    }

    @Test
    void masqueradeOfANamespaceThroughTheHostIsFoundInTheHostsConntrack() throws IOException {
        Process client = network.start("ip", "netns", "exec", clientNamespace, "python3", "-c",
                NatTestNetwork.TCP_CLIENT, SERVER, Integer.toString(SERVER_TCP));
        try (OutputStream keepOpen = client.getOutputStream()) {
            int port = Integer.parseInt(NatTestNetwork.readLine(client).strip());
            long netns = NetworkNamespaces.inodeOf(Path.of("/run/netns", clientNamespace));

            NatTranslation nat = await(() -> resolver.lookup(Protocol.TCP, ip(CLIENT), port, ip(SERVER), SERVER_TCP,
                    netns, (int) client.pid()));

            // masquerade keeps the source port when it is free, and it is: nothing else uses HOST towards SERVER
            assertThat(nat).isEqualTo(new NatTranslation(ip(HOST), port, ip(SERVER), SERVER_TCP));
        }
    }

    @Test
    void dnatInsideAnotherNamespaceIsFoundByEnteringIt() throws IOException {
        Process client = network.start("ip", "netns", "exec", clientNamespace, "python3", "-c",
                NatTestNetwork.TCP_CLIENT, CLIENT_VIRTUAL, Integer.toString(VIRTUAL_TCP));
        try (OutputStream keepOpen = client.getOutputStream()) {
            int port = Integer.parseInt(NatTestNetwork.readLine(client).strip());
            long netns = NetworkNamespaces.inodeOf(Path.of("/run/netns", clientNamespace));

            NatTranslation nat = await(() -> resolver.lookup(Protocol.TCP, ip(CLIENT), port, ip(CLIENT_VIRTUAL),
                    VIRTUAL_TCP, netns, (int) client.pid()));

            assertThat(nat).isEqualTo(new NatTranslation(ip(CLIENT), port, ip(CLIENT), SERVER_TCP));
            assertThat(resolver.namespaces).containsKey(netns);
        }
    }

    @Test
    void ipv6DnatIsFoundByTheIpv6Dump() throws IOException {
        // given: in a namespace of its own, a connection to [::1]:81 that an ip6 rule sends to [::1]:8086
        String namespace = network.namespace("6");
        network.nftTable(namespace, "ip6", "cnm_nat_test_" + NatTestNetwork.RUN + "v6", """
                chain out {
                    type nat hook output priority -100; policy accept;
                    ip6 daddr ::1 tcp dport 81 dnat to [::1]:8086
                }""");
        Process pair = network.start("ip", "netns", "exec", namespace, "python3", "-c", IPV6_PAIR);
        try (OutputStream keepOpen = pair.getOutputStream()) {
            int port = Integer.parseInt(NatTestNetwork.readLine(pair).strip());
            long netns = NetworkNamespaces.inodeOf(Path.of("/run/netns", namespace));

            // when: the namespace is watched after the connection exists, so it comes from the dump
            NatTranslation nat = await(() -> resolver.lookup(Protocol.TCP, ip("::1"), port, ip("::1"), 81, netns,
                    (int) pair.pid()));

            // then
            assertThat(nat).isEqualTo(new NatTranslation(ip("::1"), port, ip("::1"), 8086));
        }
    }

    /** Listens on [::1]:8086, connects to [::1]:81, prints the client's port, holds until stdin closes. */
    private static final String IPV6_PAIR = """
            import socket, sys
            listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            listener.bind(("::1", 8086))
            listener.listen(1)
            client = socket.create_connection(("::1", 81), timeout=10)
            peer, _ = listener.accept()
            print(client.getsockname()[1], flush=True)
            sys.stdin.read()
            """;

    /** A connected TCP socket that sent 1,000 bytes and read them back. */
    static Socket echoedTcp(String address, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(HOST, 0));
        socket.connect(new InetSocketAddress(address, port), 5_000);
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(new byte[1000]);
        out.flush();
        InputStream in = socket.getInputStream();
        assertThat(in.readNBytes(1000)).hasSize(1000);
        return socket;
    }

    static <T> T await(Supplier<T> lookup) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (T value = lookup.get(); ; value = lookup.get()) {
            if (value != null || System.nanoTime() - deadline > 0) {
                return value;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
