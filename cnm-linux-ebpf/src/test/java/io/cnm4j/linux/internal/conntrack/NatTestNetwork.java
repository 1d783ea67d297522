package io.cnm4j.linux.internal.conntrack;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces ({@code nat-…}), veth pairs and nft tables ({@code cnm_nat_test…}) of one
 * test run: everything it creates is removed by {@link #close()}, nothing else is touched.
 * Names carry the JVM's pid so that concurrent runs on one host stay apart.
 */
public final class NatTestNetwork implements AutoCloseable {
    public static final String RUN = Long.toString(ProcessHandle.current().pid());
    /** 10.77.x / 10.78.x with x from the pid: subnets of this run only. */
    static final int SUBNET = (int) (ProcessHandle.current().pid() % 250) + 1;
    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private final List<String> namespaces = new ArrayList<>();
    private final List<String[]> tables = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /**
     * Where the test cannot run (not root, no conntrack, no ip/nft), it is skipped with the
     * reason, except under CI ({@code CI=true}), where it fails.
     */
    public static NatTestNetwork require() {
        String problem = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            problem = "needs root to create network namespaces and nft rules";
        } else if (!Files.exists(Path.of("/proc/sys/net/netfilter/nf_conntrack_max"))) {
            problem = "nf_conntrack is not loaded";
        } else if (!Files.isExecutable(Path.of("/usr/sbin/nft")) && !Files.isExecutable(Path.of("/usr/bin/nft"))) {
            problem = "nft is not installed";
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("NAT tests must run in CI but cannot: " + problem);
            }
            Assumptions.abort("NAT test skipped: " + problem);
        }
        return new NatTestNetwork();
    }

    /** Creates namespace {@code nat-<tag><pid>} with loopback up. */
    public String namespace(String tag) {
        String name = "nat-" + tag + RUN;
        run("ip", "netns", "del", name); // left behind by an aborted run: the outcome does not matter
        run("ip", "netns", "add", name).check();
        namespaces.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up").check();
        return name;
    }

    /** Joins the root namespace and {@code namespace} by a veth pair with a /24 on each end. */
    void veth(String namespace, String tag, String rootAddress, String namespaceAddress) {
        String root = "nat" + RUN + tag;
        String inside = "nat" + RUN + tag + "n";
        run("ip", "link", "add", root, "type", "veth", "peer", "name", inside, "netns", namespace).check();
        run("ip", "addr", "add", rootAddress + "/24", "dev", root).check();
        run("ip", "link", "set", root, "up").check();
        run("ip", "-n", namespace, "addr", "add", namespaceAddress + "/24", "dev", inside).check();
        run("ip", "-n", namespace, "link", "set", inside, "up").check();
    }

    /** Name of the root end of the veth pair made with {@code tag}. */
    static String rootLink(String tag) {
        return "nat" + RUN + tag;
    }

    /** Adds an nft table (in {@code namespace}, or the root one when null), deleted on close. */
    void nftTable(String namespace, String family, String name, String body) {
        List<String> prefix = namespace == null ? List.of() : List.of("ip", "netns", "exec", namespace);
        List<String> add = new ArrayList<>(prefix);
        add.addAll(List.of("nft", "-f", "-"));
        new Command(add, "table " + family + " " + name + " {\n" + body + "\n}\n").run().check();
        List<String> delete = new ArrayList<>(prefix);
        delete.addAll(List.of("nft", "delete", "table", family, name));
        tables.add(delete.toArray(String[]::new));
    }

    /** TCP and UDP echo server: address, TCP port, UDP port; prints "ready"; ends after 60 s without a connection. */
    static final String ECHO_SERVER = """
            import socket, sys, threading
            address, tcp_port, udp_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            def echo(conn):
                with conn:
                    while True:
                        data = conn.recv(65536)
                        if not data:
                            return
                        conn.sendall(data)
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((address, tcp_port))
            listener.listen(16)
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind((address, udp_port))
            def udp_echo():
                while True:
                    data, peer = udp.recvfrom(65536)
                    udp.sendto(data, peer)
            threading.Thread(target=udp_echo, daemon=True).start()
            listener.settimeout(60)
            print("ready", flush=True)
            while True:
                conn, _ = listener.accept()
                threading.Thread(target=echo, args=(conn,), daemon=True).start()
            """;

    /**
     * TCP client: connects to address and port, sends and reads back 1,000 bytes, prints its
     * local port, keeps the connection open until its stdin closes.
     */
    static final String TCP_CLIENT = """
            import socket, sys
            conn = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
            conn.sendall(bytes(1000))
            received = 0
            while received < 1000:
                received += len(conn.recv(65536))
            print(conn.getsockname()[1], flush=True)
            sys.stdin.read()
            conn.close()
            """;

    /** Starts an echo server in {@code namespace} and waits until it listens. */
    void echoServer(String namespace, String address, int tcpPort, int udpPort) {
        Process server = start("ip", "netns", "exec", namespace, "python3", "-c", ECHO_SERVER, address,
                Integer.toString(tcpPort), Integer.toString(udpPort));
        String line = readLine(server);
        if (!"ready".equals(line)) {
            throw new IllegalStateException("echo server did not start: " + line);
        }
    }

    /** One line of a process's output (blocking, the process is bounded by its own timeouts). */
    public static String readLine(Process process) {
        try {
            StringBuilder line = new StringBuilder();
            for (int c = process.getInputStream().read(); c >= 0 && c != '\n'; c = process.getInputStream().read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a process (killed on close). */
    public Process start(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Command run(String... command) {
        return new Command(List.of(command), null).run();
    }

    record Command(List<String> command, String stdin, int exitCode, String output) {
        Command(List<String> command, String stdin) {
            this(command, stdin, -1, "");
        }

        Command run() {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                try (OutputStream in = process.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                String out;
                try (InputStream output = process.getInputStream()) {
                    out = new String(output.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not finish");
                }
                return new Command(command, stdin, process.exitValue(), out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        Command check() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + exitCode + "): " + output);
            }
            return this;
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (String[] delete : tables.reversed()) {
            run(delete);
        }
        // deleting a namespace deletes the veth end inside it, and with it the root end
        for (String namespace : namespaces.reversed()) {
            run("ip", "netns", "del", namespace);
        }
    }
}
