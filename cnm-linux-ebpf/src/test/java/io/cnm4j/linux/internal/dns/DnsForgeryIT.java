package io.cnm4j.linux.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.linux.InfoLogCanaries;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.internal.EbpfHostCheck;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A forged DNS answer against the real kernel: from another network namespace, a sender with
 * source port 53 claims {@value #FORGED_NAME} resolves to {@value #VICTIM}, for a query nobody
 * sent. A later connection to that address must carry no name, the response must be counted as
 * unsolicited, and a genuine lookup must still label its connection.
 *
 * <pre>
 *   host namespace                  namespace sec-dnsf
 *   sec-dnsf-h 10.199.66.1/24  ==  sec-dnsf-n 10.199.66.2 (dnsmasq :53), .3 (forger, port 53),
 *                                             .50 (a.test, TCP :8053), .99 (victim, TCP :8053)
 * </pre>
 *
 * <p>Needs root, ip, dnsmasq, dig and python3; without them the test is skipped, except under CI
 * ({@code CI=true}), where it fails. Runs with an INFO log capture that must not see the names
 * or addresses involved.
 */
class DnsForgeryIT {
    private static final String NAMESPACE = "sec-dnsf";
    private static final String HOST_SIDE = "sec-dnsf-h";
    private static final String NAMESPACE_SIDE = "sec-dnsf-n";
    private static final String CLIENT = "10.199.66.1";
    private static final String RESOLVER = "10.199.66.2";
    private static final String FORGER = "10.199.66.3";
    private static final String RESOLVED = "10.199.66.50";
    private static final String VICTIM = "10.199.66.99";
    private static final String FORGED_NAME = "bank.test";
    private static final String GENUINE_NAME = "a.test";
    private static final int SERVICE_PORT = 8053;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final InfoLogCanaries LOG = new InfoLogCanaries(FORGED_NAME, GENUINE_NAME, RESOLVED, VICTIM, RESOLVER,
            FORGER);

    private static final List<Process> processes = new ArrayList<>();
    private static boolean namespaceTouched;

    @BeforeAll
    static void createNamespaceWithResolverAndService() throws Exception {
        requireRootToolsAndEbpf();
        namespaceTouched = true;
        deleteNamespace();
        run("ip", "netns", "add", NAMESPACE);
        run("ip", "link", "add", HOST_SIDE, "type", "veth", "peer", "name", NAMESPACE_SIDE, "netns", NAMESPACE);
        run("ip", "addr", "add", CLIENT + "/24", "dev", HOST_SIDE);
        run("ip", "link", "set", HOST_SIDE, "up");
        for (String address : List.of(RESOLVER, FORGER, RESOLVED, VICTIM)) {
            run("ip", "-n", NAMESPACE, "addr", "add", address + "/24", "dev", NAMESPACE_SIDE);
        }
        run("ip", "-n", NAMESPACE, "link", "set", NAMESPACE_SIDE, "up");
        run("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
        start("ip", "netns", "exec", NAMESPACE, "dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts",
                "--bind-interfaces", "--listen-address=" + RESOLVER, "--port=53", "--local=/test/",
                "--address=/" + GENUINE_NAME + "/" + RESOLVED, "--pid-file=");
        start("ip", "netns", "exec", NAMESPACE, "python3", "-c",
                "import socket\ns=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                        + "s.bind(('0.0.0.0', " + SERVICE_PORT + ")); s.listen()\n"
                        + "while True:\n    c,_=s.accept(); c.recv(64); c.close()");
        awaitResolver();
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        processes.clear();
        if (namespaceTouched) {
            deleteNamespace();
        }
    }

    @Test
    void forgedAnswerNobodyAskedForNamesNothingAndIsCountedWhileAGenuineAnswerStillNames() throws Exception {
        MonitorConfig config = MonitorConfig.builder().backend(LinuxEbpfBackendProvider.NAME).build();
        try (NetworkMonitor monitor = NetworkMonitor.builder().config(config).build()) {
            FlowClient client = monitor.registerClient("forgery-it");
            monitor.start();

            // given: one forged response from port 53 in the other namespace, for a query never sent
            forgeResponse();
            awaitTelemetry(monitor, "dns_unsolicited_responses", 1);

            // when: the victim address is connected to, and a genuine lookup is followed by a connection
            connectWithRetry(VICTIM);
            dig(GENUINE_NAME);
            connectWithRetry(RESOLVED);

            // then
            List<ConnectionStats> connections = awaitClosed(client, List.of(VICTIM, RESOLVED));
            assertThat(connections).filteredOn(c -> c.key().remoteAddress().getHostAddress().equals(VICTIM))
                    .isNotEmpty().allSatisfy(c -> assertThat(c.dnsNames()).isEmpty());
            assertThat(connections).filteredOn(c -> c.key().remoteAddress().getHostAddress().equals(RESOLVED))
                    .isNotEmpty().allSatisfy(c -> assertThat(c.dnsNames()).containsExactly(GENUINE_NAME));
            assertThat(monitor.telemetry().get("dns_unsolicited_responses")).isEqualTo(1);
            assertThat(monitor.telemetry().get("dns_mismatched_responses")).isZero();
        }
    }

    /** bank.test A 10.199.66.99, TTL one day, id 0x4242, sent from FORGER:53 to a port nobody uses. */
    private static void forgeResponse() throws Exception {
        run("ip", "netns", "exec", NAMESPACE, "python3", "-c", String.join("\n",
                "import socket, struct",
                "name = b''.join(bytes([len(l)]) + l for l in b'" + FORGED_NAME + "'.split(b'.')) + b'\\0'",
                "header = struct.pack('>HHHHHH', 0x4242, 0x8180, 1, 1, 0, 0)",
                "question = name + struct.pack('>HH', 1, 1)",
                "answer = struct.pack('>HHHIH', 0xC00C, 1, 1, 86400, 4) + socket.inet_aton('" + VICTIM + "')",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.bind(('" + FORGER + "', 53))",
                "s.sendto(header + question + answer, ('" + CLIENT + "', 40123))"));
    }

    private static void awaitTelemetry(NetworkMonitor monitor, String counter, long expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (monitor.telemetry().get(counter) < expected) {
            if (System.nanoTime() > deadline) {
                fail(counter + " did not reach " + expected + " within " + WAIT + ": " + monitor.telemetry());
            }
            Thread.sleep(100);
        }
    }

    private static List<ConnectionStats> awaitClosed(FlowClient client, List<String> remotes) throws Exception {
        List<ConnectionStats> seen = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!remotes.stream().allMatch(remote -> seen.stream().anyMatch(c -> c.closed()
                && c.key().remotePort() == SERVICE_PORT && c.key().remoteAddress().getHostAddress().equals(remote)))) {
            if (System.nanoTime() > deadline) {
                fail("connections to " + remotes + " were not delivered within " + WAIT + ": " + seen);
            }
            Thread.sleep(100);
            seen.addAll(client.poll().connections());
        }
        return seen.stream().filter(c -> c.key().remotePort() == SERVICE_PORT).toList();
    }

    /** The service may still be starting: retry refused connects for a few seconds. */
    private static void connectWithRetry(String address) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Socket socket = new Socket(address, SERVICE_PORT)) {
                socket.getOutputStream().write(new byte[] {1, 2, 3});
                return;
            } catch (IOException refused) {
                if (System.nanoTime() > deadline) {
                    throw refused;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void dig(String name) throws Exception {
        String answer = digShort(name);
        if (!answer.equals(RESOLVED)) {
            fail("dig " + name + " answered '" + answer + "'");
        }
    }

    private static String digShort(String name) throws Exception {
        Process dig = new ProcessBuilder("dig", "@" + RESOLVER, "+short", "+tries=1", "+time=1", name, "A")
                .redirectErrorStream(true).start();
        String answer = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        dig.waitFor(10, TimeUnit.SECONDS);
        return answer;
    }

    /** Before the monitor starts, so that these lookups are not part of what the test counts. */
    private static void awaitResolver() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!digShort(GENUINE_NAME).equals(RESOLVED)) {
            if (System.nanoTime() > deadline) {
                fail("dnsmasq in " + NAMESPACE + " did not answer within " + WAIT);
            }
            Thread.sleep(100);
        }
    }

    private static void requireRootToolsAndEbpf() throws Exception {
        String problem = EbpfHostCheck.problem().orElse(null);
        if (problem == null) {
            for (String tool : List.of("ip", "dnsmasq", "dig", "python3")) {
                if (findOnPath(tool).isEmpty()) {
                    problem = tool + " is not installed (apt packages iproute2, dnsmasq-base, dnsutils, python3)";
                    break;
                }
            }
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("DNS forgery must be tested in CI but cannot: " + problem);
            }
            Assumptions.abort("DNS forgery test skipped: " + problem);
        }
    }

    private static Optional<Path> findOnPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin") + ":/usr/sbin:/sbin";
        for (String directory : path.split(":")) {
            Path candidate = Path.of(directory, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static void start(String... command) throws IOException {
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void deleteNamespace() throws Exception {
        // Deleting the namespace destroys its end of the veth pair, which takes the host end along.
        for (List<String> command : List.of(List.of("ip", "netns", "del", NAMESPACE),
                List.of("ip", "link", "del", HOST_SIDE))) {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
