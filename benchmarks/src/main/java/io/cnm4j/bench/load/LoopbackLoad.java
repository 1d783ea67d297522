package io.cnm4j.bench.load;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The project's own request/response load, run as a child process so that its CPU is not
 * charged to the capturing JVM: {@code CONNECTIONS} long-lived loopback connections, each
 * sending 1 KiB and reading the 1 KiB echo, as fast as possible for {@code SECONDS}. Server and
 * clients both live here. Prints {@code PORT <server port>} when ready and
 * {@code DONE <exchanges> <elapsed nanos>} at the end.
 *
 * <p>Usage: {@code LoopbackLoad CONNECTIONS SECONDS}
 */
public final class LoopbackLoad {
    static final int MESSAGE_BYTES = 1024;

    private LoopbackLoad() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 4096, loopback)) {
            Thread acceptor = new Thread(() -> serve(server), "cnm4j-bench-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            System.out.println("PORT " + server.getLocalPort());
            System.out.flush();
            long start = System.nanoTime();
            long exchanges = requestResponse(loopback, server.getLocalPort(), Integer.parseInt(args[0]),
                    Integer.parseInt(args[1]));
            System.out.println("DONE " + exchanges + " " + (System.nanoTime() - start));
        }
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket peer = server.accept();
                Thread echo = new Thread(() -> echo(peer), "cnm4j-bench-echo");
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                return;
            }
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
