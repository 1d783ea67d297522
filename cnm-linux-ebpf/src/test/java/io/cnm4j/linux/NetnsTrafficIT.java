package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TCP between two network namespaces joined by a veth pair, with a server and a client process
 * in each: both ends are captured from the root namespace with their own netns inode, pid,
 * direction and exact bytes.
 */
class NetnsTrafficIT {
    /* The pid keeps concurrent runs on one host apart; interface names must stay within 15 bytes. */
    private static final String RUN = Long.toString(ProcessHandle.current().pid());
    private static final String CLIENT_NS = "cnmit-c" + RUN;
    private static final String SERVER_NS = "cnmit-s" + RUN;
    private static final String CLIENT_ADDRESS = "10.232.0.1";
    private static final String SERVER_ADDRESS = "10.232.0.2";
    private static final int SERVER_PORT = 7_300;
    private static final int REQUEST_BYTES = 1_000_000;
    private static final int RESPONSE_BYTES = 12_345;

    /**
     * Accepts one connection, reads the request, answers, then closes after the client did.
     */
    private static final String SERVER_SCRIPT = """
            import socket, sys
            address, port, request, response = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((address, port))
            listener.listen(1)
            listener.settimeout(10)
            print("listening", flush=True)
            peer, _ = listener.accept()
            peer.settimeout(10)
            received = 0
            while received < request:
                data = peer.recv(65536)
                if not data:
                    break
                received += len(data)
            peer.sendall(bytes(response))
            assert peer.recv(1) == b""
            peer.close()
            listener.close()
            print("received", received, flush=True)
            """;

    /** Connects, sends the request, reads the response, closes; prints its port and what it read. */
    private static final String CLIENT_SCRIPT = """
            import socket, sys
            address, port, request, response = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
            connection = socket.create_connection((address, port), timeout=10)
            connection.sendall(bytes(request))
            received = 0
            while received < response:
                data = connection.recv(65536)
                if not data:
                    break
                received += len(data)
            print(connection.getsockname()[1], received, flush=True)
            connection.close()
            """;

    /*
     * Only the test's own polls collect: the engine keys a flow by the pid it has when first
     * seen, and an accepted socket has pid 0 in the kernel map until its first recv().
     */
    private static final MonitorConfig ONLY_EXPLICIT_POLLS = MonitorConfig.builder()
            .interval(Duration.ofHours(1))
            .build();

    @BeforeAll
    static void joinTwoNamespacesWithVeth() {
        KernelTestSupport.requireEbpf();
        TestNamespaces.addPair(CLIENT_NS, CLIENT_ADDRESS, SERVER_NS, SERVER_ADDRESS);
    }

    /** Deleting a namespace deletes its end of the veth pair, and with it the other end. */
    @AfterAll
    static void deleteNamespaces() {
        TestNamespaces.delete(CLIENT_NS);
        TestNamespaces.delete(SERVER_NS);
    }

    private static Predicate<ConnectionStats> tcp(String localAddress, int localPort, int remotePort, long netns)
            throws IOException {
        InetAddress local = InetAddress.getByName(localAddress);
        return c -> c.key().protocol() == Protocol.TCP && c.key().localAddress().equals(local)
                && c.key().localPort() == localPort && c.key().remotePort() == remotePort
                && c.key().netns() == netns;
    }

    @Test
    void connectionBetweenNamespacesIsSeenAtBothEndsWithTheirNetnsPidDirectionAndBytes() throws Exception {
        long clientNetns = TestNamespaces.inode(CLIENT_NS);
        long serverNetns = TestNamespaces.inode(SERVER_NS);
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS);
                PythonScript server = PythonScript.startIn(SERVER_NS, SERVER_SCRIPT,
                        SERVER_ADDRESS, SERVER_PORT, REQUEST_BYTES, RESPONSE_BYTES)) {
            assertThat(server.nextLine()).isEqualTo("listening");
            int clientPort;
            int clientPid;
            try (PythonScript client = PythonScript.startIn(CLIENT_NS, CLIENT_SCRIPT,
                    SERVER_ADDRESS, SERVER_PORT, REQUEST_BYTES, RESPONSE_BYTES)) {
                String[] portAndReceived = client.nextLine().split(" ");
                clientPort = Integer.parseInt(portAndReceived[0]);
                clientPid = client.pid();
                assertThat(Integer.parseInt(portAndReceived[1])).isEqualTo(RESPONSE_BYTES);
                client.awaitSuccess();
            }
            assertThat(server.nextLine()).isEqualTo("received " + REQUEST_BYTES);
            server.awaitSuccess();
            Predicate<ConnectionStats> clientSide = tcp(CLIENT_ADDRESS, clientPort, SERVER_PORT, clientNetns);
            Predicate<ConnectionStats> serverSide = tcp(SERVER_ADDRESS, SERVER_PORT, clientPort, serverNetns);

            ConnectionStats clientClosed = kernel.awaitConnection(clientSide.and(ConnectionStats::closed),
                    "client side closed in " + CLIENT_NS);
            ConnectionStats serverClosed = kernel.awaitConnection(serverSide.and(ConnectionStats::closed),
                    "server side closed in " + SERVER_NS);
            Counters clientSum = kernel.deliveredSum(clientSide);
            Counters serverSum = kernel.deliveredSum(serverSide);

            assertThat(clientSum.bytesSent()).isEqualTo(REQUEST_BYTES);
            assertThat(clientSum.bytesReceived()).isEqualTo(RESPONSE_BYTES);
            assertThat(clientSum.tcpEstablished()).isEqualTo(1);
            assertThat(clientSum.tcpClosed()).isEqualTo(1);
            assertThat(serverSum.bytesSent()).isEqualTo(RESPONSE_BYTES);
            assertThat(serverSum.bytesReceived()).isEqualTo(REQUEST_BYTES);
            assertThat(serverSum.tcpEstablished()).isEqualTo(1);
            assertThat(serverSum.tcpClosed()).isEqualTo(1);
            assertThat(clientClosed.key().pid()).isEqualTo(clientPid);
            assertThat(serverClosed.key().pid()).isEqualTo(server.pid());
            assertThat(clientClosed.key().remoteAddress()).isEqualTo(InetAddress.getByName(SERVER_ADDRESS));
            assertThat(serverClosed.key().remoteAddress()).isEqualTo(InetAddress.getByName(CLIENT_ADDRESS));
            assertThat(clientNetns).isNotEqualTo(serverNetns);
            assertThat(kernel.seen()).filteredOn(clientSide)
                    .allSatisfy(c -> assertThat(c.direction()).isEqualTo(Direction.OUTGOING));
            assertThat(kernel.seen()).filteredOn(serverSide)
                    .allSatisfy(c -> assertThat(c.direction()).isEqualTo(Direction.INCOMING));
        }
    }

    /**
     * Holds a connection open until told to exchange more: "go" makes the client send the
     * request again and read the response again, "close" makes it close.
     */
    private static final String LINGERING_CLIENT_SCRIPT = """
            import socket, sys
            address, port, request, response = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
            connection = socket.create_connection((address, port), timeout=10)
            def exchange():
                connection.sendall(bytes(request))
                received = 0
                while received < response:
                    received += len(connection.recv(65536))
                return received
            exchange()
            print(connection.getsockname()[1], flush=True)
            assert sys.stdin.readline().strip() == "go"
            print(exchange(), flush=True)
            assert sys.stdin.readline().strip() == "close"
            connection.close()
            """;

    /** Answers every request on one connection until the client closes. */
    private static final String REPEATING_SERVER_SCRIPT = """
            import socket, sys
            address, port, request, response = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((address, port))
            listener.listen(1)
            print("listening", flush=True)
            peer, _ = listener.accept()
            peer.settimeout(10)
            pending = request
            while True:
                data = peer.recv(65536)
                if not data:
                    break
                pending -= len(data)
                if pending == 0:
                    peer.sendall(bytes(response))
                    pending = request
            peer.close()
            """;

    @Test
    void serverInAnotherNamespaceConnectedBeforeTheMonitorStartedIsIncoming() throws Exception {
        long serverNetns = TestNamespaces.inode(SERVER_NS);
        int port = SERVER_PORT + 1;
        try (PythonScript server = PythonScript.startIn(SERVER_NS, REPEATING_SERVER_SCRIPT,
                        SERVER_ADDRESS, port, 1_000, 2_000)) {
            assertThat(server.nextLine()).isEqualTo("listening");
            try (PythonScript client = PythonScript.startIn(CLIENT_NS, LINGERING_CLIENT_SCRIPT,
                    SERVER_ADDRESS, port, 1_000, 2_000)) {
                int clientPort = Integer.parseInt(client.nextLine().trim());
                Predicate<ConnectionStats> serverSide = tcp(SERVER_ADDRESS, port, clientPort, serverNetns);
                try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
                    tell(client, "go");
                    assertThat(client.nextLine().trim()).isEqualTo("2000");
                    // a collection while the server lives, as the monitor's interval would make
                    kernel.awaitConnection(serverSide, "server side while open");
                    tell(client, "close");
                    client.awaitSuccess();

                    ConnectionStats closed = kernel.awaitConnection(serverSide.and(ConnectionStats::closed),
                            "server side closed in " + SERVER_NS);
                    Counters sum = kernel.deliveredSum(serverSide);

                    // only what moved after the monitor started, and the listener's namespace decides
                    assertThat(sum.bytesReceived()).isEqualTo(1_000);
                    assertThat(sum.bytesSent()).isEqualTo(2_000);
                    assertThat(sum.tcpEstablished()).isZero();
                    assertThat(closed.direction()).isEqualTo(Direction.INCOMING);
                    assertThat(closed.key().pid()).isEqualTo(server.pid());
                }
            }
            server.awaitSuccess();
        }
    }

    private static void tell(PythonScript script, String line) throws IOException {
        script.process().getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        script.process().getOutputStream().flush();
    }
}
