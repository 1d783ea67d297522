package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Retransmissions caused by a loss window on loopback are counted exactly as the kernel counts
 * them ({@code tcpi_total_retrans}), and retransmitted bytes are not counted as sent (Datadog's
 * tracer suite drops input from 127.0.0.1 for about a second the same way).
 */
class RetransmitsIT {
    private static final InetAddress LOOPBACK = ipv4Loopback();
    private static final int WRITE_BYTES = 512;
    private static final int WRITES_DURING_LOSS = 99;
    private static final long LOSS_MILLIS = 1_000;
    private static final long RECOVERY_MILLIS = 15_000;

    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByName("127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Predicate<ConnectionStats> tuple(int localPort, int remotePort) {
        return c -> c.key().protocol() == Protocol.TCP && c.key().localPort() == localPort
                && c.key().remotePort() == remotePort;
    }

    /** Reads the one accepted connection to its end, counting what arrived. */
    private static CompletableFuture<Void> drain(ServerSocket server, AtomicLong received) {
        return CompletableFuture.runAsync(() -> {
            try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    received.addAndGet(n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void awaitReceived(AtomicLong received, long expected) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MILLIS);
        while (received.get() < expected) {
            if (System.nanoTime() > deadline) {
                fail("the server received " + received.get() + " of " + expected + " bytes");
            }
            KernelTestSupport.sleep(10);
        }
    }

    /** Waits until the peer acknowledged everything sent: no retransmission can follow. */
    private static TcpInfo awaitAllAcknowledged(NativeTcpSocket socket) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECOVERY_MILLIS);
        TcpInfo info = socket.tcpInfo();
        while (info.unacked() != 0) {
            if (System.nanoTime() > deadline) {
                fail("segments still unacknowledged after recovery: " + info);
            }
            KernelTestSupport.sleep(10);
            info = socket.tcpInfo();
        }
        return info;
    }

    @Test
    void retransmitsAfterALossWindowEqualTheKernelsTotalAndBytesSentExcludeThem() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            // given: an established connection that delivered one write without loss
            int serverPort = server.getLocalPort();
            AtomicLong received = new AtomicLong();
            CompletableFuture<Void> drained = drain(server, received);
            byte[] write = new byte[WRITE_BYTES];
            long expectedBytes = (1 + WRITES_DURING_LOSS) * (long) WRITE_BYTES;
            int clientPort;
            TcpInfo beforeClose;
            try (NativeTcpSocket client = NativeTcpSocket.open(LOOPBACK)) {
                assertThat(client.connect(new InetSocketAddress(LOOPBACK, serverPort))).isZero();
                clientPort = client.localPort();
                client.sendFully(write);
                awaitReceived(received, WRITE_BYTES);
                assertThat(client.tcpInfo().totalRetrans()).isZero();

                // when: every segment to or from the server port is lost for a second, while 99
                // more writes are made; then the loss ends and everything is acknowledged
                try (NftTable loss = NftTable.add("cnm_test_retransmits",
                        "chain in { type filter hook input priority 0;\n"
                        + "ip saddr 127.0.0.1 tcp dport " + serverPort + " drop\n"
                        + "ip saddr 127.0.0.1 tcp sport " + serverPort + " drop\n}")) {
                    long lossEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOSS_MILLIS);
                    for (int i = 0; i < WRITES_DURING_LOSS; i++) {
                        client.sendFully(write);
                    }
                    KernelTestSupport.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(lossEnds - System.nanoTime())));
                }
                awaitReceived(received, expectedBytes);
                beforeClose = awaitAllAcknowledged(client);
            }
            drained.get(RECOVERY_MILLIS, TimeUnit.MILLISECONDS);

            // then
            ConnectionStats closed = kernel.awaitConnection(tuple(clientPort, serverPort).and(ConnectionStats::closed),
                    "client side closed");
            Counters sent = kernel.deliveredSum(tuple(clientPort, serverPort));
            assertThat(received.get()).isEqualTo(expectedBytes);
            assertThat(sent.bytesSent()).isEqualTo(51_200);
            assertThat(beforeClose.totalRetrans()).isPositive();
            assertThat(sent.retransmits()).isEqualTo(beforeClose.totalRetrans());
            assertThat(closed.total().retransmits()).isEqualTo(beforeClose.totalRetrans());
            assertThat(sent.tcpClosed()).isEqualTo(1);
        }
    }
}
