package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * UDP over loopback against the real kernel, with exact payload and datagram counts. UDP is
 * counted per datagram by the cgroup_skb programs, per (socket, peer); the side that sends the
 * first datagram is OUTGOING, the other INCOMING.
 */
class UdpTrafficIT {
    private static final int REQUESTS = 10;
    private static final int REQUEST_BYTES = 512;
    private static final int RESPONSE_BYTES = 1_024;
    private static final int PID = (int) ProcessHandle.current().pid();
    private static final long SERVE_TIMEOUT_SECONDS = 5;

    /*
     * Only the tests' own polls collect. The engine keys a flow by the pid it has when first
     * seen, and a receive-first socket has pid 0 in the kernel map until it sends; a periodic
     * collection in that window would freeze pid 0 and make the pid asserts timing-dependent.
     */
    private static final MonitorConfig ONLY_EXPLICIT_POLLS = MonitorConfig.builder()
            .interval(Duration.ofHours(1))
            .build();

    private static Predicate<ConnectionStats> udp(int localPort, int remotePort) {
        return c -> c.key().protocol() == Protocol.UDP && c.key().localPort() == localPort
                && c.key().remotePort() == remotePort;
    }

    private static int port(DatagramChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private static Counters udpCounters(long bytesSent, long bytesReceived, long packetsSent, long packetsReceived) {
        return new Counters(bytesSent, bytesReceived, packetsSent, packetsReceived, 0, 0, 0);
    }

    /** Answers REQUESTS requests with one RESPONSE_BYTES datagram each, to whoever sent them. */
    private static CompletableFuture<Void> serveRequests(DatagramChannel server) {
        return CompletableFuture.runAsync(() -> {
            ByteBuffer request = ByteBuffer.allocate(2 * REQUEST_BYTES);
            try {
                for (int i = 0; i < REQUESTS; i++) {
                    request.clear();
                    SocketAddress sender = server.receive(request);
                    assertThat(request.position()).isEqualTo(REQUEST_BYTES);
                    server.send(ByteBuffer.allocate(RESPONSE_BYTES), sender);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Receives datagrams until {@code count} have come. */
    private static CompletableFuture<Void> receiveDatagrams(DatagramChannel receiver, int count) {
        return CompletableFuture.runAsync(() -> {
            ByteBuffer datagram = ByteBuffer.allocate(65_536);
            try {
                for (int i = 0; i < count; i++) {
                    datagram.clear();
                    receiver.receive(datagram);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void requestResponseIsCountedExactlyOnBothSides(ProtocolFamily family, String loopback)
            throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            int serverPort;
            int clientPort;
            try (DatagramChannel server = DatagramChannel.open(family)
                    .bind(new InetSocketAddress(InetAddress.getByName(loopback), 0));
                    DatagramChannel client = DatagramChannel.open(family)) {
                serverPort = port(server);
                CompletableFuture<Void> served = serveRequests(server);
                client.connect(server.getLocalAddress());
                clientPort = port(client);
                ByteBuffer response = ByteBuffer.allocate(2 * RESPONSE_BYTES);
                for (int i = 0; i < REQUESTS; i++) {
                    client.write(ByteBuffer.allocate(REQUEST_BYTES));
                    response.clear();
                    client.read(response);
                    assertThat(response.position()).isEqualTo(RESPONSE_BYTES);
                }
                served.get(SERVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }

            ConnectionStats client = kernel.awaitConnection(
                    udp(clientPort, serverPort).and(ConnectionStats::closed), "client side closed");
            ConnectionStats server = kernel.awaitConnection(
                    udp(serverPort, clientPort).and(ConnectionStats::closed), "server side closed");

            assertThat(kernel.deliveredSum(udp(clientPort, serverPort))).isEqualTo(udpCounters(
                    REQUESTS * REQUEST_BYTES, REQUESTS * RESPONSE_BYTES, REQUESTS, REQUESTS));
            assertThat(kernel.deliveredSum(udp(serverPort, clientPort))).isEqualTo(udpCounters(
                    REQUESTS * RESPONSE_BYTES, REQUESTS * REQUEST_BYTES, REQUESTS, REQUESTS));
            assertThat(client.key().pid()).isEqualTo(PID);
            assertThat(server.key().pid()).isEqualTo(PID);
            assertThat(client.key().localAddress()).isEqualTo(InetAddress.getByName(loopback));
            assertThat(client.key().remoteAddress()).isEqualTo(InetAddress.getByName(loopback));
            assertThat(client.key().netns()).isPositive().isEqualTo(server.key().netns());
            assertThat(client.intraHost()).isTrue();
            assertThat(kernel.seen()).filteredOn(udp(clientPort, serverPort))
                    .allSatisfy(c -> assertThat(c.direction()).isEqualTo(Direction.OUTGOING));
            assertThat(kernel.seen()).filteredOn(udp(serverPort, clientPort))
                    .allSatisfy(c -> assertThat(c.direction()).isEqualTo(Direction.INCOMING));
        }
    }

    @Test
    void ipv4RequestResponseIsCountedExactlyOnBothSides() throws Exception {
        requestResponseIsCountedExactlyOnBothSides(StandardProtocolFamily.INET, "127.0.0.1");
    }

    @Test
    void ipv6RequestResponseIsCountedExactlyOnBothSides() throws Exception {
        requestResponseIsCountedExactlyOnBothSides(StandardProtocolFamily.INET6, "::1");
    }

    @Test
    void datagramsOfOneToFourBytesCountTenBytesInFourPackets() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            int serverPort;
            int clientPort;
            try (DatagramChannel server = DatagramChannel.open(StandardProtocolFamily.INET)
                    .bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                    DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
                serverPort = port(server);
                CompletableFuture<Void> received = receiveDatagrams(server, 4);
                client.connect(server.getLocalAddress());
                clientPort = port(client);
                for (int size = 1; size <= 4; size++) {
                    client.write(ByteBuffer.allocate(size));
                }
                received.get(SERVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }

            ConnectionStats client = kernel.awaitConnection(
                    udp(clientPort, serverPort).and(ConnectionStats::closed), "client side closed");
            ConnectionStats server = kernel.awaitConnection(
                    udp(serverPort, clientPort).and(ConnectionStats::closed), "server side closed");

            assertThat(kernel.deliveredSum(udp(clientPort, serverPort))).isEqualTo(udpCounters(10, 0, 4, 0));
            assertThat(kernel.deliveredSum(udp(serverPort, clientPort))).isEqualTo(udpCounters(0, 10, 0, 4));
            assertThat(client.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(server.direction()).isEqualTo(Direction.INCOMING);
            assertThat(client.key().pid()).isEqualTo(PID);
            // never sent: the kernel learns its pid from recv() and reports it at release
            assertThat(server.key().pid()).isEqualTo(PID);
        }
    }

    @Test
    void unconnectedSendToIsOneConnectionPerPeerWithExactBytes() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            int senderPort;
            int firstPort;
            int secondPort;
            try (DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)
                    .bind(new InetSocketAddress(loopback, 0));
                    DatagramChannel first = DatagramChannel.open(StandardProtocolFamily.INET)
                            .bind(new InetSocketAddress(loopback, 0));
                    DatagramChannel second = DatagramChannel.open(StandardProtocolFamily.INET)
                            .bind(new InetSocketAddress(loopback, 0))) {
                senderPort = port(sender);
                firstPort = port(first);
                secondPort = port(second);
                CompletableFuture<Void> firstReceived = receiveDatagrams(first, 3);
                CompletableFuture<Void> secondReceived = receiveDatagrams(second, 2);
                for (int i = 0; i < 3; i++) {
                    sender.send(ByteBuffer.allocate(100), first.getLocalAddress());
                }
                for (int i = 0; i < 2; i++) {
                    sender.send(ByteBuffer.allocate(200), second.getLocalAddress());
                }
                firstReceived.get(SERVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                secondReceived.get(SERVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }

            /*
             * The first peer of a socket is closed through the ring buffer at release; later
             * peers when the next map read sees the release (its counts may have been delivered
             * by an earlier read, then the close comes with a zero delta).
             */
            ConnectionStats toFirst = kernel.awaitConnection(
                    udp(senderPort, firstPort).and(ConnectionStats::closed), "sender to first peer closed");
            ConnectionStats toSecond = kernel.awaitConnection(
                    udp(senderPort, secondPort).and(ConnectionStats::closed), "sender to second peer closed");
            kernel.awaitConnection(udp(firstPort, senderPort).and(ConnectionStats::closed), "first peer closed");
            kernel.awaitConnection(udp(secondPort, senderPort).and(ConnectionStats::closed), "second peer closed");
            kernel.poll();

            assertThat(kernel.seen()).filteredOn(udp(senderPort, firstPort).and(ConnectionStats::closed)).hasSize(1);
            assertThat(kernel.seen()).filteredOn(udp(senderPort, secondPort).and(ConnectionStats::closed)).hasSize(1);
            assertThat(kernel.deliveredSum(udp(senderPort, firstPort))).isEqualTo(udpCounters(300, 0, 3, 0));
            assertThat(kernel.deliveredSum(udp(senderPort, secondPort))).isEqualTo(udpCounters(400, 0, 2, 0));
            assertThat(toFirst.total()).isEqualTo(udpCounters(300, 0, 3, 0));
            assertThat(toSecond.total()).isEqualTo(udpCounters(400, 0, 2, 0));
            assertThat(kernel.deliveredSum(udp(firstPort, senderPort))).isEqualTo(udpCounters(0, 300, 0, 3));
            assertThat(kernel.deliveredSum(udp(secondPort, senderPort))).isEqualTo(udpCounters(0, 400, 0, 2));
            assertThat(toFirst.cookie()).isEqualTo(toSecond.cookie());
            assertThat(toFirst.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(toSecond.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(toFirst.key().pid()).isEqualTo(PID);
            assertThat(toSecond.key().pid()).isEqualTo(PID);
            assertThat(kernel.seen()).filteredOn(udp(firstPort, senderPort).or(udp(secondPort, senderPort)))
                    .allSatisfy(c -> assertThat(c.direction()).isEqualTo(Direction.INCOMING));
        }
    }

    @Test
    void peekedDatagramIsCountedOnce() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            int senderPort;
            int receiverPort;
            try (PeekingUdpSocket receiver = PeekingUdpSocket.bindLoopback();
                    DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
                receiverPort = receiver.port();
                sender.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), receiverPort));
                senderPort = port(sender);
                sender.write(ByteBuffer.allocate(700));

                assertThat(receiver.peek(2_048)).isEqualTo(700);
                assertThat(receiver.receive(2_048)).isEqualTo(700);
            }

            ConnectionStats received = kernel.awaitConnection(
                    udp(receiverPort, senderPort).and(ConnectionStats::closed), "receiver closed");
            kernel.awaitConnection(udp(senderPort, receiverPort).and(ConnectionStats::closed), "sender closed");

            assertThat(kernel.deliveredSum(udp(receiverPort, senderPort))).isEqualTo(udpCounters(0, 700, 0, 1));
            assertThat(kernel.deliveredSum(udp(senderPort, receiverPort))).isEqualTo(udpCounters(700, 0, 1, 0));
            assertThat(received.direction()).isEqualTo(Direction.INCOMING);
            assertThat(received.key().pid()).isEqualTo(PID);
        }
    }

    /**
     * recv() without an address on a socket that never sent shows its peer to no hook: the
     * datagrams go to the socket's overflow flow (remote unspecified), with exact totals.
     */
    @Test
    void receiveWithoutSenderOnAFreshSocketGoesToItsOverflowFlowExactly() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start(ONLY_EXPLICIT_POLLS)) {
            int senderPort;
            int receiverPort;
            try (PeekingUdpSocket receiver = PeekingUdpSocket.bindLoopback();
                    DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
                receiverPort = receiver.port();
                sender.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), receiverPort));
                senderPort = port(sender);
                sender.write(ByteBuffer.allocate(300));
                sender.write(ByteBuffer.allocate(200));

                assertThat(receiver.receiveWithoutSender(2_048)).isEqualTo(300);
                assertThat(receiver.receiveWithoutSender(2_048)).isEqualTo(200);
            }

            ConnectionStats overflow = kernel.awaitConnection(
                    udp(receiverPort, 0).and(ConnectionStats::closed), "receiver's overflow flow closed");

            assertThat(kernel.deliveredSum(udp(receiverPort, 0))).isEqualTo(udpCounters(0, 500, 0, 2));
            assertThat(kernel.deliveredSum(udp(senderPort, receiverPort))).isEqualTo(udpCounters(500, 0, 2, 0));
            assertThat(overflow.key().remoteAddress().isAnyLocalAddress()).isTrue();
            assertThat(overflow.key().pid()).isEqualTo(PID);
        }
    }
}
