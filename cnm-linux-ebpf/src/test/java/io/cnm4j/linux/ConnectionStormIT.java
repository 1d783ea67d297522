package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.Telemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand short-lived TCP connections over loopback, as fast as the machine allows: every
 * one must be delivered closed on both ends, and any shortfall must show in the loss counters.
 */
class ConnectionStormIT {
    private static final int CONNECTIONS = 10_000;
    private static final int CLIENT_THREADS = 4;
    private static final int ACCEPT_THREADS = 4;
    private static final Duration STORM_TIMEOUT = Duration.ofSeconds(40);
    // closes the kernel hooks missed are recovered by the backend's sweep after 5 s idle
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);
    private static final int PID = (int) ProcessHandle.current().pid();
    private static final List<String> LOSS_COUNTERS = List.of(Telemetry.QUEUE_DROPPED,
            Telemetry.RING_BUFFER_DROPPED, Telemetry.KERNEL_MAP_INSERT_FAILED, Telemetry.CLOSED_CONN_DROPPED,
            "kernel_program_skips_dropped");

    /** Closed sockets per side, summed from the deltas delivered so far. */
    private static final class ClosedTally {
        long client;
        long clientEstablished;
        long clientBytesSent;
        long server;
        long serverBytesReceived;

        void add(List<ConnectionStats> delivered, Predicate<ConnectionStats> clientSide,
                Predicate<ConnectionStats> serverSide) {
            for (ConnectionStats c : delivered) {
                // a reused client port puts several sockets in one tuple: tcpClosed counts them all
                if (clientSide.test(c)) {
                    client += c.last().tcpClosed();
                    clientEstablished += c.last().tcpEstablished();
                    clientBytesSent += c.last().bytesSent();
                } else if (serverSide.test(c)) {
                    server += c.last().tcpClosed();
                    serverBytesReceived += c.last().bytesReceived();
                }
            }
        }

        boolean complete() {
            return client >= CONNECTIONS && server >= CONNECTIONS;
        }
    }

    /** Accepts, reads the client's byte up to its EOF, closes; until every connection was served. */
    private static void serve(ServerSocket server, AtomicInteger served) {
        while (served.get() < CONNECTIONS) {
            try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                in.readAllBytes();
                served.incrementAndGet();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Opens connections, writes one byte on each and closes it, until CONNECTIONS were opened. */
    private static void connect(InetSocketAddress address, AtomicInteger opened) {
        while (opened.getAndIncrement() < CONNECTIONS) {
            try (Socket socket = new Socket()) {
                socket.connect(address);
                socket.getOutputStream().write(1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Map<String, Long> losses(Telemetry telemetry) {
        Map<String, Long> losses = new LinkedHashMap<>();
        LOSS_COUNTERS.forEach(name -> losses.put(name, telemetry.get(name)));
        return losses;
    }

    @Test
    void tenThousandShortLivedConnectionsAreEachDeliveredClosedOnBothEnds() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENT_THREADS + ACCEPT_THREADS);
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 4_096, InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress address = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
            long netns = ((Number) Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino")).longValue();
            Predicate<ConnectionStats> loopback = c -> c.key().protocol() == Protocol.TCP
                    && c.key().netns() == netns && c.key().localAddress().equals(address.getAddress())
                    && c.key().remoteAddress().equals(address.getAddress());
            Predicate<ConnectionStats> clientSide = loopback.and(c -> c.key().remotePort() == address.getPort()
                    && c.key().localPort() != address.getPort() && c.key().pid() == PID);
            // no pid here: an accepted socket's pid is 0 until its first read
            Predicate<ConnectionStats> serverSide = loopback.and(c -> c.key().localPort() == address.getPort()
                    && c.key().remotePort() != address.getPort());
            AtomicInteger served = new AtomicInteger();
            AtomicInteger opened = new AtomicInteger();
            for (int i = 0; i < ACCEPT_THREADS; i++) {
                CompletableFuture.runAsync(() -> serve(server, served), threads);
            }

            long startNanos = System.nanoTime();
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENT_THREADS; i++) {
                clients.add(CompletableFuture.runAsync(() -> connect(address, opened), threads));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
                    .get(STORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long stormNanos = System.nanoTime() - startNanos;
            while (served.get() < CONNECTIONS && System.nanoTime() - startNanos < STORM_TIMEOUT.toNanos()) {
                KernelTestSupport.sleep(10);
            }
            System.out.printf("%,d connections in %,d ms: %,.0f connections/s%n", CONNECTIONS,
                    TimeUnit.NANOSECONDS.toMillis(stormNanos), CONNECTIONS * 1e9 / stormNanos);

            ClosedTally tally = new ClosedTally();
            long deadline = System.nanoTime() + DELIVERY_WAIT.toNanos();
            while (true) {
                tally.add(kernel.poll(), clientSide, serverSide);
                if (tally.complete() || System.nanoTime() > deadline) {
                    break;
                }
                KernelTestSupport.sleep(100);
            }
            Map<String, Long> losses = losses(kernel.monitor.telemetry());
            long lost = losses.values().stream().mapToLong(Long::longValue).sum();
            // A new client's first poll holds every flow still live in full: a client socket whose
            // close the kernel never reported to the programs is still there, established and open.
            long stillOpen = kernel.monitor.registerClient("census").poll().connections().stream()
                    .filter(clientSide.and(c -> !c.closed()))
                    .mapToLong(c -> c.total().tcpEstablished()).sum();
            System.out.printf("delivered closed: client %,d, server %,d; client still open %,d; losses %s; "
                    + "closes recovered by the sweep %,d%n", tally.client, tally.server, stillOpen, losses,
                    kernel.monitor.telemetry().get("tcp_closes_recovered"));

            assertThat(served.get()).isEqualTo(CONNECTIONS);
            assertThat(tally.client + stillOpen)
                    .as("client connections neither delivered closed nor still reported open (losses %s)", losses)
                    .isGreaterThanOrEqualTo(CONNECTIONS - lost);
            assertThat(CONNECTIONS - tally.server)
                    .as("server connections missing with no loss counter to explain them (losses %s)", losses)
                    .isLessThanOrEqualTo(lost);
            if (lost == 0) {
                assertThat(tally.client).isEqualTo(CONNECTIONS);
                assertThat(stillOpen).isZero();
                assertThat(tally.clientEstablished).isEqualTo(CONNECTIONS);
                assertThat(tally.clientBytesSent).isEqualTo(CONNECTIONS);
                assertThat(tally.server).isEqualTo(CONNECTIONS);
                assertThat(tally.serverBytesReceived).isEqualTo(CONNECTIONS);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
