package io.cnm4j.bench.load;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator, run as a child process so that its CPU is not charged to the capturing
 * JVM. Server and clients both live here, on loopback. Prints {@code PORT <server port>} when
 * ready and {@code DONE <operations> <elapsed nanos>} at the end.
 *
 * <ul>
 *   <li>{@code storm RATE SECONDS THREADS}: short-lived connections (connect, 1 byte, close) at
 *       a target rate per second;</li>
 *   <li>{@code rr CONNECTIONS SECONDS}: request/response of 1 KiB each way on long-lived
 *       connections, as fast as possible.</li>
 * </ul>
 */
public final class LoopbackLoad {
    static final int MESSAGE_BYTES = 1024;

    private LoopbackLoad() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 4096, loopback)) {
            boolean storm = args[0].equals("storm");
            Thread acceptor = new Thread(() -> serve(server, storm), "cnm4j-bench-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            System.out.println("PORT " + server.getLocalPort());
            System.out.flush();
            long start = System.nanoTime();
            long operations = storm
                    ? storm(loopback, server.getLocalPort(), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                            Integer.parseInt(args[3]))
                    : requestResponse(loopback, server.getLocalPort(), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            System.out.println("DONE " + operations + " " + (System.nanoTime() - start));
        }
    }

    private static void serve(ServerSocket server, boolean storm) {
        while (!server.isClosed()) {
            try {
                Socket peer = server.accept();
                if (storm) {
                    drainAndClose(peer);
                } else {
                    Thread echo = new Thread(() -> echo(peer), "cnm4j-bench-echo");
                    echo.setDaemon(true);
                    echo.start();
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void drainAndClose(Socket peer) {
        try (peer; InputStream in = peer.getInputStream()) {
            in.readAllBytes();
        } catch (IOException resetByClient) {
            // storm clients close with a reset to avoid TIME_WAIT exhaustion
        }
    }

    private static void echo(Socket peer) {
        byte[] buffer = new byte[MESSAGE_BYTES];
        try (peer) {
            DataInputStream in = new DataInputStream(peer.getInputStream());
            OutputStream out = peer.getOutputStream();
            while (true) {
                in.readFully(buffer);
                out.write(buffer);
            }
        } catch (IOException endOfRun) {
            // the client closed the connection
        }
    }

    private static long storm(InetAddress address, int port, int ratePerSecond, int seconds, int threads)
            throws InterruptedException {
        AtomicLong made = new AtomicLong();
        long total = (long) ratePerSecond * seconds;
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            Thread thread = new Thread(() -> {
                for (long i = worker; i < total; i += threads) {
                    long due = start + i * 1_000_000_000L / ratePerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try (Socket socket = new Socket(address, port)) {
                        socket.setSoLinger(true, 0);
                        socket.getOutputStream().write(1);
                        made.incrementAndGet();
                    } catch (IOException e) {
                        // counted as not made
                    }
                }
            }, "cnm4j-bench-connector-" + worker);
            thread.start();
            workers.add(thread);
        }
        for (Thread thread : workers) {
            thread.join();
        }
        return made.get();
    }

    private static long requestResponse(InetAddress address, int port, int connections, int seconds)
            throws Exception {
        AtomicLong exchanges = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[MESSAGE_BYTES];
                try (Socket socket = new Socket(address, port)) {
                    socket.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    while (System.nanoTime() < end) {
                        out.write(buffer);
                        in.readFully(buffer);
                        exchanges.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "cnm4j-bench-exchange-" + c);
            thread.start();
            workers.add(thread);
        }
        for (Thread thread : workers) {
            thread.join();
        }
        return exchanges.get();
    }
}
