package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * UDP where flow monitors usually go wrong, with ordinary Python clients: a destination NAT rule
 * (what kube-proxy does for a ClusterIP), a receive buffer that overflows, and a socket that
 * talks to more peers than the per-socket limit.
 */
class UdpAccuracyIT {
    private static final String RUN = Long.toString(ProcessHandle.current().pid());
    private static final String CLIENT_NS = "cnmit-uc" + RUN;
    private static final String SERVER_NS = "cnmit-us" + RUN;
    private static final String CLIENT_ADDRESS = "10.233.0.1";
    private static final String SERVER_ADDRESS = "10.233.0.2";
    private static final String SERVICE_ADDRESS = "10.233.0.99";
    private static final int SERVICE_PORT = 9_053;
    private static final int SERVER_PORT = 8_081;
    private static final MonitorConfig ONLY_EXPLICIT_POLLS = MonitorConfig.builder()
            .interval(Duration.ofHours(1))
            .build();

    @BeforeAll
    static void namespacesWithADestinationNatRule() {
        KernelTestSupport.requireEbpf();
        TestNamespaces.addPair(CLIENT_NS, CLIENT_ADDRESS, SERVER_NS, SERVER_ADDRESS);
        TestNamespaces.exec(CLIENT_NS, "nft", "add table ip cnmit_dnat");
        TestNamespaces.exec(CLIENT_NS, "nft",
                "add chain ip cnmit_dnat out { type nat hook output priority -100; }");
        TestNamespaces.exec(CLIENT_NS, "nft", "add rule ip cnmit_dnat out ip daddr " + SERVICE_ADDRESS
                + " udp dport " + SERVICE_PORT + " dnat to " + SERVER_ADDRESS + ":" + SERVER_PORT);
    }

    @AfterAll
    static void deleteNamespaces() {
        TestNamespaces.delete(CLIENT_NS);
        TestNamespaces.delete(SERVER_NS);
    }

    private static Predicate<ConnectionStats> udp(long netns) {
        return c -> c.key().protocol() == Protocol.UDP && c.key().netns() == netns;
    }

    @Test
    void trafficToADestinationNatAddressIsOneOutgoingFlowToTheAddressTheApplicationUsed() throws Exception {
        long clientNetns = TestNamespaces.inode(CLIENT_NS);
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS);
                PythonScript server = PythonScript.startIn(SERVER_NS, """
                        import socket, sys
                        server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        server.bind((sys.argv[1], int(sys.argv[2])))
                        print("listening", flush=True)
                        for _ in range(2):
                            data, peer = server.recvfrom(2048)
                            server.sendto(bytes(2 * len(data)), peer)
                        """, SERVER_ADDRESS, SERVER_PORT)) {
            assertThat(server.nextLine()).isEqualTo("listening");
            int clientPort;
            // the usual client: sendto the service, then recv() without asking who answered
            try (PythonScript client = PythonScript.startIn(CLIENT_NS, """
                    import socket, sys
                    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    client.settimeout(10)
                    client.sendto(bytes(100), (sys.argv[1], int(sys.argv[2])))
                    assert len(client.recv(2048)) == 200
                    client.sendto(bytes(50), (sys.argv[1], int(sys.argv[2])))
                    assert len(client.recvfrom(2048)[0]) == 100
                    print(client.getsockname()[1], flush=True)
                    client.close()
                    """, SERVICE_ADDRESS, SERVICE_PORT)) {
                clientPort = (int) client.nextNumbers()[0];
                client.awaitSuccess();
            }
            server.awaitSuccess();
            Predicate<ConnectionStats> clientSide = udp(clientNetns).and(c -> c.key().localPort() == clientPort);

            ConnectionStats closed = kernel.awaitConnection(clientSide.and(ConnectionStats::closed), "client closed");
            Counters sum = kernel.deliveredSum(clientSide);

            assertThat(kernel.seen()).filteredOn(clientSide)
                    .extracting(c -> c.key().remoteAddress().getHostAddress() + ":" + c.key().remotePort())
                    .containsOnly(SERVICE_ADDRESS + ":" + SERVICE_PORT);
            assertThat(sum).isEqualTo(new Counters(150, 300, 2, 2, 0, 0, 0));
            assertThat(closed.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(closed.key().remoteAddress()).isEqualTo(InetAddress.getByName(SERVICE_ADDRESS));
        }
    }

    @Test
    void datagramsDroppedForAFullReceiveBufferAreNotCountedAsReceived() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS);
                PythonScript python = PythonScript.start("""
                        import socket
                        receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                        receiver.bind(("127.0.0.1", 0))
                        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        for _ in range(200):
                            sender.sendto(bytes(1000), receiver.getsockname())
                        receiver.setblocking(False)
                        count = total = 0
                        while True:
                            try:
                                data, _ = receiver.recvfrom(2048)
                            except BlockingIOError:
                                break
                            count += 1
                            total += len(data)
                        print(receiver.getsockname()[1], sender.getsockname()[1], count, total, flush=True)
                        receiver.close()
                        sender.close()
                        """)) {
            long[] fields = python.nextNumbers();
            python.awaitSuccess();
            int receiverPort = (int) fields[0];
            int senderPort = (int) fields[1];
            long readCount = fields[2];
            long readBytes = fields[3];
            assertThat(readCount).as("datagrams that fit the receive buffer").isBetween(1L, 199L);
            Predicate<ConnectionStats> receiver = c -> c.key().protocol() == Protocol.UDP
                    && c.key().localPort() == receiverPort && c.key().remotePort() == senderPort;

            kernel.awaitConnection(receiver.and(ConnectionStats::closed), "receiver closed");

            assertThat(kernel.deliveredSum(receiver)).isEqualTo(new Counters(0, readBytes, 0, readCount, 0, 0, 0));
        }
    }

    @Test
    void peersBeyondTheLimitAreSummedExactlyIntoOneOverflowFlowAndTheSocketIsNamed() throws Exception {
        MonitorConfig config = ONLY_EXPLICIT_POLLS.toBuilder().udpPeerLimit(8).build();
        try (KernelTestSupport kernel = KernelTestSupport.start(config);
                PythonScript python = PythonScript.start("""
                        import socket
                        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        sender.bind(("127.0.0.1", 0))
                        for peer in range(30):
                            sender.sendto(bytes(peer + 1), ("127.0.0.1", 20000 + peer))
                        print(sender.getsockname()[1], flush=True)
                        sender.close()
                        """)) {
            int senderPort = (int) python.nextNumbers()[0];
            python.awaitSuccess();
            Predicate<ConnectionStats> sender = c -> c.key().protocol() == Protocol.UDP
                    && c.key().localPort() == senderPort && c.key().pid() != 0;

            kernel.awaitConnection(sender.and(c -> c.closed() && c.key().remotePort() == 0), "overflow closed");
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (kernel.seen().stream().filter(sender.and(ConnectionStats::closed)).count() < 9
                    && System.nanoTime() < deadline) {
                KernelTestSupport.sleep(500);
                kernel.poll();
            }
            List<ConnectionStats> flows = kernel.seen().stream().filter(sender.and(ConnectionStats::closed)).toList();

            // 8 peers of their own (1..8 bytes), then 22 more summed: 9 + 10 + ... + 30 bytes
            assertThat(flows).as("closed flows; all records of the socket: %s, telemetry %s",
                    kernel.seen().stream().filter(sender).toList(), kernel.monitor.telemetry()).hasSize(9);
            assertThat(kernel.deliveredSum(sender.and(c -> c.key().remotePort() != 0)))
                    .isEqualTo(new Counters(36, 0, 8, 0, 0, 0, 0));
            assertThat(kernel.deliveredSum(sender.and(c -> c.key().remotePort() == 0)))
                    .isEqualTo(new Counters(429, 0, 22, 0, 0, 0, 0));
            assertThat(kernel.monitor.telemetry().get("udp_peer_limit_sockets")).isPositive();
        }
    }

    /**
     * One process sends to 70,000 distinct UDP peers (more than the flow map of a default monitor holds)
     * while curl fetches from a local HTTP server: curl's connections are all reported exactly,
     * the UDP socket's bytes are exact across its flows, and the socket is named.
     */
    @Test
    void aProcessTalkingToSeventyThousandPeersBlindsNothing() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS);
                PythonScript web = PythonScript.start("""
                        import http.server, socketserver
                        class Handler(http.server.BaseHTTPRequestHandler):
                            protocol_version = "HTTP/1.0"
                            def do_GET(self):
                                body = bytes(12345)
                                self.send_response(200)
                                self.send_header("Content-Length", str(len(body)))
                                self.end_headers()
                                self.wfile.write(body)
                            def log_message(self, *args):
                                pass
                        server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
                        print(server.server_address[1], flush=True)
                        server.serve_forever()
                        """);
                PythonScript flood = PythonScript.start("""
                        import socket
                        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        sender.bind(("127.0.0.1", 0))
                        print(sender.getsockname()[1], flush=True)
                        for peer in range(70000):
                            address = "127.%d.%d.%d" % (1 + peer // 60000, peer % 60000 // 250, 1 + peer % 250)
                            sender.sendto(b"x", (address, 9))
                        print("sent", flush=True)
                        input()
                        sender.close()
                        """)) {
            int webPort = (int) web.nextNumbers()[0];
            int floodPort = (int) flood.nextNumbers()[0];
            Map<Integer, long[]> curlBytes = new java.util.HashMap<>();
            for (int i = 0; i < 20; i++) {
                Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w",
                        "%{local_port} %{size_request} %{size_header} %{size_download}",
                        "http://127.0.0.1:" + webPort + "/" + i).redirectErrorStream(true).start();
                String[] fields = new String(curl.getInputStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8).trim().split(" ");
                assertThat(curl.waitFor()).isZero();
                curlBytes.put(Integer.parseInt(fields[0]), new long[] {Long.parseLong(fields[1]),
                        Long.parseLong(fields[2]) + Long.parseLong(fields[3])});
                kernel.poll();
            }
            // The flood takes minutes in an emulated guest under load: poll meanwhile, as a client
            // polls every interval, or the monitor forgets the idle client (client_expiry, 2 min)
            // with the closed connections it had not read yet.
            long floodDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PythonScript.TIMEOUT_SECONDS);
            while (!flood.output().ready() && System.nanoTime() < floodDeadline) {
                kernel.poll();
                KernelTestSupport.sleep(1000);
            }
            assertThat(flood.nextLine()).isEqualTo("sent");
            flood.process().getOutputStream().write('\n');
            flood.process().getOutputStream().flush();
            flood.awaitSuccess();

            for (var curl : curlBytes.entrySet()) {
                Predicate<ConnectionStats> connection = c -> c.key().protocol() == Protocol.TCP
                        && c.key().localPort() == curl.getKey() && c.key().remotePort() == webPort;
                kernel.awaitConnection(connection.and(ConnectionStats::closed), "curl from port " + curl.getKey());
                Counters sum = kernel.deliveredSum(connection);
                assertThat(sum.bytesSent()).as("curl request from %d", curl.getKey()).isEqualTo(curl.getValue()[0]);
                assertThat(sum.bytesReceived()).as("curl response to %d", curl.getKey()).isEqualTo(curl.getValue()[1]);
            }
            Predicate<ConnectionStats> floodFlows = c -> c.key().protocol() == Protocol.UDP
                    && c.key().localPort() == floodPort;
            long deadline = System.nanoTime() + KernelTestSupport.WAIT.toNanos();
            while (kernel.deliveredSum(floodFlows).bytesSent() < 70_000 && System.nanoTime() < deadline) {
                KernelTestSupport.sleep(200);
            }
            assertThat(kernel.deliveredSum(floodFlows).bytesSent()).isEqualTo(70_000);
            assertThat(kernel.deliveredSum(floodFlows).packetsSent()).isEqualTo(70_000);
            assertThat(kernel.seen().stream().filter(floodFlows).map(c -> c.key().remoteAddress().getHostAddress()
                    + ":" + c.key().remotePort()).distinct().count()).isEqualTo(1_024 + 1);
            assertThat(kernel.monitor.telemetry().get("udp_peer_limit_sockets")).isPositive();
        }
    }
}
