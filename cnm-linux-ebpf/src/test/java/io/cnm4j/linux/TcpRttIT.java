package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RTT, RTT variance and segment counters of a live connection are the ones
 * {@code getsockopt(TCP_INFO)} reports on the same socket (Datadog's tracer compares the same way).
 *
 * <p>Why exact equality holds: the kernel side copies them from the socket at every send and
 * receive. The client's last receive follows the response that acknowledged its last request, so
 * the RTT sample and every segment of the exchange (including an ACK sent while reading) are in
 * place before that copy. Read right after the receive, {@code TCP_INFO} sees the same values; what
 * could still change them is the client's delayed ACK, whose timer fires tens of milliseconds after
 * the response arrived, and no further segment comes from the server.
 */
class TcpRttIT {
    private static final int EXCHANGES = 20;
    private static final int REQUEST_BYTES = 512;
    private static final int RESPONSE_BYTES = 4096;

    private static Predicate<ConnectionStats> tuple(int localPort, int remotePort) {
        return c -> c.key().protocol() == Protocol.TCP && c.key().localPort() == localPort
                && c.key().remotePort() == remotePort;
    }


    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void rttAndSegmentCountersEqualTcpInfoOfTheSameSocket(String address) throws Exception {
        InetAddress loopback = InetAddress.getByName(address);
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 50, loopback)) {
            int serverPort = server.getLocalPort();
            CompletableFuture<Void> served =
                    RequestResponseServer.serveOnce(server, EXCHANGES, REQUEST_BYTES, RESPONSE_BYTES);
            try (NativeTcpSocket client = NativeTcpSocket.open(loopback)) {
                assertThat(client.connect(new InetSocketAddress(loopback, serverPort))).isZero();
                client.setIntOption(NativeTcpSocket.IPPROTO_TCP, NativeTcpSocket.TCP_NODELAY, 1);
                int clientPort = client.localPort();
                byte[] request = new byte[REQUEST_BYTES];

                // when: request/response exchanges; the kernel's view is taken right after the last one
                for (int i = 0; i < EXCHANGES; i++) {
                    client.sendFully(request);
                    client.receiveFully(RESPONSE_BYTES);
                }
                TcpInfo afterLastExchange = client.tcpInfo();
                ConnectionStats live = kernel.awaitConnection(tuple(clientPort, serverPort), "live client side");

                // then
                assertThat(afterLastExchange.state()).isEqualTo(TcpInfo.TCP_ESTABLISHED);
                assertThat(afterLastExchange.rttMicros()).isPositive();
                assertThat(live.closed()).isFalse();
                assertThat(live.rttMicros()).isEqualTo(afterLastExchange.rttMicros());
                assertThat(live.rttVarMicros()).isEqualTo(afterLastExchange.rttVarMicros());
                assertThat(live.total().packetsSent()).isEqualTo(afterLastExchange.segsOut());
                assertThat(live.total().packetsReceived()).isEqualTo(afterLastExchange.segsIn());
                assertThat(live.total().bytesSent()).isEqualTo(EXCHANGES * REQUEST_BYTES);
                assertThat(live.total().bytesReceived()).isEqualTo(EXCHANGES * RESPONSE_BYTES);
            }
            served.get(5, TimeUnit.SECONDS);
        }
    }
}
