package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Protocol;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TCP over loopback against the real kernel, with exact byte counts (Datadog's tracer suite). */
class TcpTrafficIT {
    /** The loopback addresses every flow of this class carries. */
    @RegisterExtension
    static final InfoLogCanaries LOG = new InfoLogCanaries("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");

    private static final int REQUESTS = 10;
    private static final int REQUEST_BYTES = 512;
    private static final int RESPONSE_BYTES = 32_768;


    private static void exchange(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] request = new byte[REQUEST_BYTES];
        byte[] response = new byte[RESPONSE_BYTES];
        for (int i = 0; i < REQUESTS; i++) {
            out.write(request);
            in.readFully(response);
        }
    }

    private static Predicate<ConnectionStats> tuple(int localPort, int remotePort) {
        return c -> c.key().protocol() == Protocol.TCP && c.key().localPort() == localPort
                && c.key().remotePort() == remotePort;
    }

    private void sendAndReceiveExactBytes(InetAddress loopback) throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 50, loopback)) {
            CompletableFuture<Void> served =
                    RequestResponseServer.serveOnce(server, REQUESTS, REQUEST_BYTES, RESPONSE_BYTES);
            int clientPort;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(loopback, server.getLocalPort()));
                clientPort = socket.getLocalPort();
                exchange(socket);
            }
            served.get();
            int serverPort = server.getLocalPort();

            ConnectionStats client = kernel.awaitConnection(
                    tuple(clientPort, serverPort).and(ConnectionStats::closed), "client side closed");
            kernel.awaitConnection(tuple(serverPort, clientPort).and(ConnectionStats::closed), "server side closed");
            Counters clientSum = kernel.deliveredSum(tuple(clientPort, serverPort));
            Counters serverSum = kernel.deliveredSum(tuple(serverPort, clientPort));

            assertThat(clientSum.bytesSent()).isEqualTo(REQUESTS * REQUEST_BYTES);
            assertThat(clientSum.bytesReceived()).isEqualTo(REQUESTS * RESPONSE_BYTES);
            assertThat(clientSum.tcpEstablished()).isEqualTo(1);
            assertThat(clientSum.tcpClosed()).isEqualTo(1);
            assertThat(client.key().pid()).isEqualTo((int) ProcessHandle.current().pid());
            assertThat(client.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(client.intraHost()).isTrue();
            assertThat(client.key().netns()).isPositive();
            assertThat(serverSum.bytesSent()).isEqualTo(REQUESTS * RESPONSE_BYTES);
            assertThat(serverSum.bytesReceived()).isEqualTo(REQUESTS * REQUEST_BYTES);
            assertThat(serverSum.tcpClosed()).isEqualTo(1);
            assertThat(kernel.seen()).filteredOn(tuple(serverPort, clientPort))
                    .allSatisfy(c -> assertThat(c.direction()).isEqualTo(Direction.INCOMING));
        }
    }

    @Test
    void ipv4SendAndReceiveAreCountedExactly() throws Exception {
        sendAndReceiveExactBytes(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void ipv6SendAndReceiveAreCountedExactly() throws Exception {
        sendAndReceiveExactBytes(InetAddress.getByName("::1"));
    }

    @Test
    void shortLivedConnectionIsReportedOnceWithEstablishedAndClosed() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                    in.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            int clientPort;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                clientPort = socket.getLocalPort();
                socket.getOutputStream().write(new byte[3]);
            }
            accepted.get();

            ConnectionStats closed = kernel.awaitConnection(
                    tuple(clientPort, server.getLocalPort()).and(ConnectionStats::closed), "closed");

            assertThat(closed.last().bytesSent()).isEqualTo(3);
            assertThat(closed.last().tcpEstablished()).isEqualTo(1);
            assertThat(closed.last().tcpClosed()).isEqualTo(1);
            assertThat(kernel.poll()).noneMatch(tuple(clientPort, server.getLocalPort()));
            assertThat(kernel.seen()).filteredOn(tuple(clientPort, server.getLocalPort())).hasSize(1);
        }
    }

    @Test
    void establishedThenClosedAcrossTwoReadsGivesDeltasOneZeroThenZeroOne() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                    in.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            int clientPort = socket.getLocalPort();
            socket.getOutputStream().write(new byte[7]);
            Predicate<ConnectionStats> client = tuple(clientPort, server.getLocalPort());

            ConnectionStats open = kernel.awaitConnection(client, "open");
            socket.close();
            accepted.get();
            ConnectionStats closed = kernel.awaitConnection(client.and(ConnectionStats::closed), "closed");

            assertThat(open.closed()).isFalse();
            assertThat(open.last().tcpEstablished()).isEqualTo(1);
            assertThat(open.last().tcpClosed()).isZero();
            assertThat(closed.last().tcpEstablished()).isZero();
            assertThat(closed.last().tcpClosed()).isEqualTo(1);
            assertThat(open.last().bytesSent() + closed.last().bytesSent()).isEqualTo(7);
        }
    }

    @Test
    void connectionOpenedBeforeStartIsTrackedWithoutEstablishedAndOnlyNewBytes() throws Exception {
        KernelTestSupport.requireEbpf();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket peer = server.accept()) {
            socket.getOutputStream().write(new byte[100]);
            peer.getInputStream().readNBytes(100);
            try (KernelTestSupport kernel = KernelTestSupport.start()) {
                Predicate<ConnectionStats> client = tuple(socket.getLocalPort(), server.getLocalPort());

                socket.getOutputStream().write(new byte[40]);
                peer.getInputStream().readNBytes(40);
                ConnectionStats seen = kernel.awaitConnection(client, "pre-existing");

                assertThat(seen.last().bytesSent()).isEqualTo(40);
                assertThat(seen.last().tcpEstablished()).isZero();
                assertThat(seen.direction()).isEqualTo(Direction.OUTGOING);
            }
        }
    }
}
