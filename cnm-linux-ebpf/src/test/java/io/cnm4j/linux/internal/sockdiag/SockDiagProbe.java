package io.cnm4j.linux.internal.sockdiag;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.NetworkMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * Run by {@link SockDiagUnprivilegedIT} in a JVM without privileges, in a network namespace of
 * its own: a monitor with the backend it picks, a long-lived loopback connection sending
 * 30 × 10,000 B each way, then one connection opened and closed between two polls. Prints
 * {@code key=value} lines for the test to check.
 */
public final class SockDiagProbe {
    private static final int CHUNKS = 30;
    private static final int CHUNK_BYTES = 10_000;

    private SockDiagProbe() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (NetworkMonitor monitor = NetworkMonitor.builder().build();
                ServerSocket listener = new ServerSocket(0, 8, loopback)) {
            FlowClient client = monitor.registerClient("probe");
            monitor.start();
            print("backend", monitor.capabilities().backend());
            print("nat", monitor.capabilities().features().get(Feature.NAT).reason());
            print("pid", ProcessHandle.current().pid());

            try (Socket connection = new Socket(loopback, listener.getLocalPort()); Socket accepted = listener.accept()) {
                Thread echo = Thread.ofPlatform().start(() -> echo(accepted));
                OutputStream out = connection.getOutputStream();
                for (int i = 0; i < CHUNKS; i++) {
                    out.write(new byte[CHUNK_BYTES]);
                }
                connection.getInputStream().readNBytes(CHUNKS * CHUNK_BYTES);
                echo.join(10_000);
                FlowSnapshot first = client.poll();
                print("client", describe(first.connections(), connection.getLocalPort(), listener.getLocalPort()));
                print("server", describe(first.connections(), listener.getLocalPort(), connection.getLocalPort()));
                print("missed_first", first.telemetry().get(SockDiagBackend.MISSED));

                int shortPort;
                try (Socket brief = new Socket(loopback, listener.getLocalPort()); Socket briefAccepted = listener.accept()) {
                    shortPort = brief.getLocalPort();
                    brief.getOutputStream().write(new byte[100]);
                    briefAccepted.getInputStream().readNBytes(100);
                }
                Thread.sleep(100);
                FlowSnapshot second = client.poll();
                print("missed_second", second.telemetry().get(SockDiagBackend.MISSED));
                print("brief_reported", second.connections().stream().anyMatch(c -> c.key().localPort() == shortPort
                        || c.key().remotePort() == shortPort));
            }
        }
    }

    private static void echo(Socket accepted) {
        try {
            InputStream in = accepted.getInputStream();
            OutputStream out = accepted.getOutputStream();
            byte[] buffer = new byte[CHUNK_BYTES];
            for (int total = 0; total < CHUNKS * CHUNK_BYTES; ) {
                int read = in.read(buffer);
                if (read < 0) {
                    return;
                }
                out.write(buffer, 0, read);
                total += read;
            }
        } catch (IOException e) {
            print("echo_failed", e);
        }
    }

    private static String describe(List<ConnectionStats> connections, int localPort, int remotePort) {
        for (ConnectionStats c : connections) {
            if (c.key().localPort() == localPort && c.key().remotePort() == remotePort) {
                return c.direction().name().toLowerCase(java.util.Locale.ROOT) + " pid=" + c.key().pid()
                        + " sent=" + c.last().bytesSent() + " received=" + c.last().bytesReceived();
            }
        }
        return "absent";
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
    }
}
