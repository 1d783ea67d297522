package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A TCP connection whose socket is destroyed while neither close hook runs (as when the kernel
 * skips them) must still be reported closed once, and counted: the live map's iterator stops
 * stamping its entry, and the read after next reports it closed with the counters it last had.
 * The client forgets its own socket state (a map delete keyed by its socket) before closing, so
 * the close hooks find nothing to report.
 */
class MissedTcpCloseIT {
    private static final int SENT = 100;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20).multipliedBy(KernelTestSupport.TIME_SCALE);
    private static final Pattern FDINFO_MAP_ID = Pattern.compile("(?m)^map_id:\\s+(\\d+)$");
    private static final Pattern BPFTOOL_NAME = Pattern.compile("\"name\":\"([^\"]*)\"");

    /** Connects, sends SENT bytes, forgets its socket state in map argv[2] when told, closes when told. */
    private static final String CLIENT_SCRIPT = """
            import ctypes, os, socket, struct, sys
            libc = ctypes.CDLL(None, use_errno=True)
            def bpf(command, attributes):
                buffer = ctypes.create_string_buffer(attributes)
                result = libc.syscall(321, ctypes.c_int(command), buffer, ctypes.c_uint(len(attributes)))
                if result < 0:
                    error = ctypes.get_errno()
                    raise OSError(error, os.strerror(error))
                return result
            port, map_id, sent = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"x" * sent)
            print(client.getsockname()[1], flush=True)
            assert sys.stdin.readline().strip() == "forget"
            map_fd = bpf(14, struct.pack("<III", map_id, 0, 0))
            key = ctypes.c_int(client.fileno())
            bpf(3, struct.pack("<IIQQQ", map_fd, 0, ctypes.addressof(key), 0, 0))
            print("forgotten", flush=True)
            assert sys.stdin.readline().strip() == "close"
            client.close()
            print("closed", flush=True)
            """;

    @Test
    void aConnectionWhoseCloseHooksDidNotRunIsReportedClosedOnceAndCounted() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (KernelTestSupport kernel = KernelTestSupport.start();
                ServerSocket server = new ServerSocket(0, 16, loopback);
                ExecutorService serverThread = Executors.newSingleThreadExecutor()) {
            Assumptions.assumeTrue(kernel.monitor.capabilities().toString().contains("bpf_sk_storage_map iterator"),
                    "this kernel refreshes live TCP entries without the iterator: " + kernel.monitor.capabilities());
            // its own thread: PythonScript reads the script's output on the common pool
            Future<Integer> received = serverThread.submit(() -> readToEnd(server));
            try (PythonScript client = PythonScript.start(CLIENT_SCRIPT, server.getLocalPort(), sockStateMapId(), SENT)) {
                int clientPort = (int) client.nextNumbers()[0];
                Predicate<ConnectionStats> clientFlow = c -> c.key().protocol() == Protocol.TCP
                        && c.key().localPort() == clientPort && c.key().remotePort() == server.getLocalPort();
                kernel.awaitConnection(clientFlow.and(c -> c.total().bytesSent() == SENT), "live with its bytes");

                tell(client, "forget");
                assertThat(client.nextLine()).isEqualTo("forgotten");
                tell(client, "close");
                assertThat(client.nextLine()).isEqualTo("closed");
                client.awaitSuccess();
                assertThat(received.get()).isEqualTo(SENT);

                long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
                while (kernel.deliveredSum(clientFlow).tcpClosed() == 0 && System.nanoTime() < deadline) {
                    KernelTestSupport.sleep(200);
                }
                KernelTestSupport.sleep(1_000);
                assertThat(kernel.deliveredSum(clientFlow).tcpClosed()).as("closes reported for the client")
                        .isEqualTo(1);
                assertThat(kernel.deliveredSum(clientFlow).bytesSent()).isEqualTo(SENT);
                assertThat(kernel.monitor.telemetry().get("tcp_closes_missed")).isGreaterThanOrEqualTo(1);
                List<ConnectionStats> stillLive = kernel.monitor.registerClient("after").poll().connections().stream()
                        .filter(clientFlow).toList();
                assertThat(stillLive).as("the client's live entry is gone").isEmpty();
            }
        }
    }

    private static int readToEnd(ServerSocket server) {
        try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
            return in.readAllBytes().length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tell(PythonScript script, String line) throws IOException {
        script.process().getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        script.process().getOutputStream().flush();
    }

    /** The id of the socket-state map this process holds (one monitor runs). */
    private static int sockStateMapId() throws Exception {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fdinfo"))) {
            for (Path descriptor : descriptors.toList()) {
                String info;
                try {
                    info = Files.readString(descriptor);
                } catch (NoSuchFileException closedMeanwhile) {
                    continue;
                }
                Matcher id = FDINFO_MAP_ID.matcher(info);
                if (id.find() && "sock_state".equals(mapName(id.group(1)))) {
                    return Integer.parseInt(id.group(1));
                }
            }
        }
        throw new AssertionError("this process holds no sock_state map");
    }

    private static String mapName(String id) throws Exception {
        Process bpftool = new ProcessBuilder("bpftool", "-j", "map", "show", "id", id).redirectErrorStream(true)
                .start();
        String output = new String(bpftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        bpftool.waitFor();
        Matcher name = BPFTOOL_NAME.matcher(output);
        return name.find() ? name.group(1) : "";
    }
}
