package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    private static final String CLIENT_LINK = "cnmit" + RUN + "c";
    private static final String SERVER_LINK = "cnmit" + RUN + "s";
    private static final String CLIENT_ADDRESS = "10.232.0.1";
    private static final String SERVER_ADDRESS = "10.232.0.2";
    private static final int SERVER_PORT = 7_300;
    private static final int REQUEST_BYTES = 1_000_000;
    private static final int RESPONSE_BYTES = 12_345;
    private static final long PROCESS_TIMEOUT_SECONDS = 10;
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    /**
     * Accepts one connection, reads the request, answers, then closes after the client did. The
     * client closes first on purpose: a client that half-closed first and then got the answer and
     * FIN would reach TCP_CLOSE before reading the answer, and the kernel side does not count
     * bytes read from a socket already closed.
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
    static void joinTwoNamespacesWithVeth() throws Exception {
        KernelTestSupport.requireEbpf();
        ip("netns", "add", CLIENT_NS);
        ip("netns", "add", SERVER_NS);
        ip("link", "add", CLIENT_LINK, "netns", CLIENT_NS, "type", "veth",
                "peer", "name", SERVER_LINK, "netns", SERVER_NS);
        ip("-n", CLIENT_NS, "address", "add", CLIENT_ADDRESS + "/24", "dev", CLIENT_LINK);
        ip("-n", SERVER_NS, "address", "add", SERVER_ADDRESS + "/24", "dev", SERVER_LINK);
        ip("-n", CLIENT_NS, "link", "set", CLIENT_LINK, "up");
        ip("-n", SERVER_NS, "link", "set", SERVER_LINK, "up");
    }

    /** Deleting a namespace deletes its end of the veth pair, and with it the other end. */
    @AfterAll
    static void deleteNamespaces() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String namespace : List.of(CLIENT_NS, SERVER_NS)) {
            if (Files.exists(Path.of("/run/netns", namespace))) {
                try {
                    ip("netns", "delete", namespace);
                } catch (IllegalStateException e) {
                    failures.add(e.getMessage());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static void ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** The inode of a named namespace, as the kernel reports it for its sockets. */
    private static long netnsInode(String namespace) throws IOException {
        return ((Number) Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino")).longValue();
    }

    /**
     * A Python script run in a namespace. {@code ip netns exec} execs the command without
     * forking, so the process id is the script's.
     */
    private record NamespacedScript(Process process, BufferedReader output) implements AutoCloseable {
        static NamespacedScript start(String namespace, String script, Object... arguments) throws IOException {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, PYTHON, "-c", script));
            for (Object argument : arguments) {
                command.add(argument.toString());
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new NamespacedScript(process,
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
        }

        String nextLine() throws Exception {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return output.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            return process.exitValue();
        }

        int pid() {
            return (int) process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
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
        long clientNetns = netnsInode(CLIENT_NS);
        long serverNetns = netnsInode(SERVER_NS);
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS);
                NamespacedScript server = NamespacedScript.start(SERVER_NS, SERVER_SCRIPT,
                        SERVER_ADDRESS, SERVER_PORT, REQUEST_BYTES, RESPONSE_BYTES)) {
            assertThat(server.nextLine()).isEqualTo("listening");
            int clientPort;
            int clientPid;
            try (NamespacedScript client = NamespacedScript.start(CLIENT_NS, CLIENT_SCRIPT,
                    SERVER_ADDRESS, SERVER_PORT, REQUEST_BYTES, RESPONSE_BYTES)) {
                String[] portAndReceived = client.nextLine().split(" ");
                clientPort = Integer.parseInt(portAndReceived[0]);
                clientPid = client.pid();
                assertThat(Integer.parseInt(portAndReceived[1])).isEqualTo(RESPONSE_BYTES);
                assertThat(client.awaitExit()).isZero();
            }
            assertThat(server.nextLine()).isEqualTo("received " + REQUEST_BYTES);
            assertThat(server.awaitExit()).isZero();
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
}
