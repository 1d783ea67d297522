package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Failed and aborted TCP connections carry the errno the kernel ended them with, as Datadog's
 * {@code TCPFailures}: refused (111), reset (104) and timed out (110), on loopback.
 */
class TcpFailuresIT {
    private static final InetAddress LOOPBACK = ipv4Loopback();

    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Predicate<ConnectionStats> closedTuple(int localPort, int remotePort) {
        return c -> c.key().protocol() == Protocol.TCP && c.key().localPort() == localPort
                && c.key().remotePort() == remotePort && c.closed();
    }

    /** A loopback port nobody listens on (it was free a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void connectToAClosedPortIsReportedRefusedOnce() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start()) {
            // given
            int serverPort = closedPort();
            int clientPort;
            Throwable refused;
            // when
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(LOOPBACK, 0));
                clientPort = socket.getLocalPort();
                refused = catchThrowable(() -> socket.connect(new InetSocketAddress(LOOPBACK, serverPort)));
            }

            // then
            ConnectionStats closed = kernel.awaitConnection(closedTuple(clientPort, serverPort), "refused, closed");
            assertThat(refused).isInstanceOf(ConnectException.class);
            assertThat(closed.tcpFailures()).isEqualTo(Map.of(111, 1L));
            assertThat(closed.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(closed.last().tcpEstablished()).isZero();
            assertThat(closed.last().tcpClosed()).isEqualTo(1);
            assertThat(closed.last().bytesSent()).isZero();
            assertReportedOnce(kernel, closedTuple(clientPort, serverPort));
        }
    }

    /** After one more collection, exactly one closed record with a failure exists for the tuple. */
    private static void assertReportedOnce(KernelTestSupport kernel, Predicate<ConnectionStats> closedTuple) {
        KernelTestSupport.sleep(500);
        assertThat(kernel.deliveredSum(closedTuple).tcpClosed()).isEqualTo(1);
        assertThat(kernel.seen()).filteredOn(closedTuple.and(c -> !c.tcpFailures().isEmpty())).hasSize(1);
    }

    @Test
    void serverAbortingWithLingerZeroIsReportedResetOnTheClientSideOnly() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            // given
            int serverPort = server.getLocalPort();
            int clientPort;
            Throwable reset;
            // when
            try (Socket client = new Socket(LOOPBACK, serverPort)) {
                clientPort = client.getLocalPort();
                try (Socket peer = server.accept()) {
                    // close() with a zero linger time aborts: the peer gets a RST instead of a FIN
                    peer.setSoLinger(true, 0);
                }
                reset = catchThrowable(() -> client.getInputStream().read());
            }

            // then
            ConnectionStats clientSide = kernel.awaitConnection(closedTuple(clientPort, serverPort), "client closed");
            ConnectionStats serverSide = kernel.awaitConnection(closedTuple(serverPort, clientPort), "server closed");
            assertThat(reset).isInstanceOf(SocketException.class).hasMessage("Connection reset");
            assertThat(clientSide.tcpFailures()).isEqualTo(Map.of(104, 1L));
            assertThat(clientSide.last().tcpEstablished()).isEqualTo(1);
            assertThat(clientSide.last().tcpClosed()).isEqualTo(1);
            // the side that sends the reset closes before it sets sk_err: no failure there
            assertThat(serverSide.tcpFailures()).isEmpty();
            assertThat(serverSide.direction()).isEqualTo(Direction.INCOMING);
            assertThat(serverSide.last().tcpClosed()).isEqualTo(1);
            assertReportedOnce(kernel, closedTuple(clientPort, serverPort));
        }
    }

    @Test
    void synLostUntilTheUserTimeoutIsReportedTimedOut() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            // given: a listener, whose SYNs are lost on the way in (dropped at the input hook, they
            // left the client as a SYN lost in the network would; an output drop fails the send)
            int serverPort = server.getLocalPort();
            int clientPort;
            int connectErrno;
            long connectMillis;
            // when: the connect gives up after TCP_USER_TIMEOUT
            try (NftTable dropSyn = NftTable.add("cnm_test_syn_timeout",
                    "chain in { type filter hook input priority 0; "
                    + "ip daddr 127.0.0.1 tcp dport " + serverPort + " tcp flags syn drop; }");
                    NativeTcpSocket socket = NativeTcpSocket.open(LOOPBACK)) {
                socket.setIntOption(NativeTcpSocket.IPPROTO_TCP, NativeTcpSocket.TCP_USER_TIMEOUT, 500);
                socket.bind(new InetSocketAddress(LOOPBACK, 0));
                clientPort = socket.localPort();
                long started = System.nanoTime();
                connectErrno = socket.connect(new InetSocketAddress(LOOPBACK, serverPort));
                connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            }

            // then
            ConnectionStats closed = kernel.awaitConnection(closedTuple(clientPort, serverPort), "timed out, closed");
            assertThat(connectErrno).isEqualTo(NativeTcpSocket.ETIMEDOUT);
            assertThat(connectMillis).isGreaterThanOrEqualTo(500);
            assertThat(closed.tcpFailures()).isEqualTo(Map.of(110, 1L));
            assertThat(closed.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(closed.last().tcpEstablished()).isZero();
            assertThat(closed.last().tcpClosed()).isEqualTo(1);
            assertReportedOnce(kernel, closedTuple(clientPort, serverPort));
        }
    }
}
