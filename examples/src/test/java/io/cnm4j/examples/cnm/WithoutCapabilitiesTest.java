package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cnm} in a JVM of its own with every capability dropped ({@code setpriv}), as a user
 * without privileges runs it: it falls back to the {@code linux-sockdiag} backend, and asking for
 * {@code linux-ebpf} explains in one sentence what is missing. Dropping capabilities needs root
 * (CI runs as root); elsewhere the test is skipped. The user stays uid 0 so that the JVM can
 * still read the Maven repository (the uid 65534 case is {@code SockDiagUnprivilegedIT}).
 */
class WithoutCapabilitiesTest {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final List<String> DROP_EVERY_CAPABILITY = List.of(
            SETPRIV.toString(), "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--");

    @TempDir
    static Path workDirectory;

    @BeforeAll
    static void requireSetpriv() throws IOException, InterruptedException {
        Process probe;
        try {
            List<String> command = new ArrayList<>(DROP_EVERY_CAPABILITY);
            command.add("true");
            probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("setpriv is not available to drop capabilities: " + e.getMessage());
            return;
        }
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (probe.waitFor() != 0) {
            Assumptions.abort("setpriv cannot drop capabilities here (needs root): " + output);
        }
    }

    /** Runs {@code cnm args} with no capabilities, from the test class path, as {@code java -jar cnm.jar} would. */
    private static CommandRun runWithoutCapabilities(String... args) throws IOException, InterruptedException {
        Path out = workDirectory.resolve("out.txt");
        Path err = workDirectory.resolve("err.txt");
        Process process = startWithoutCapabilities(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()),
                out, err, args);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cnm " + String.join(" ", args) + " still runs after 60 s");
        }
        return new CommandRun(process.exitValue(), Files.readString(out),
                Files.readString(err));
    }

    /** Starts {@code cnm args} with no capabilities, its standard output piped to the caller. */
    private static Process startWithoutCapabilities(ProcessBuilder.Redirect input, String... args) throws IOException {
        return startWithoutCapabilities(input, null, workDirectory.resolve("err-piped.txt"), args);
    }

    private static Process startWithoutCapabilities(ProcessBuilder.Redirect input, Path out, Path err, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(DROP_EVERY_CAPABILITY);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // What the manifest of cnm.jar grants.
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Cnm.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile()).redirectInput(input);
        Map<String, String> environment = builder.environment();
        // The JVM would announce these options on stderr.
        environment.keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        if (out != null) {
            builder.redirectOutput(out.toFile());
        }
        return builder.redirectError(err.toFile()).start();
    }

    @Test
    void capsReportsTheSockDiagFallbackAndWhyTheOthersAreOff() throws Exception {
        // when
        CommandRun run = runWithoutCapabilities("caps");

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("backend: linux-sockdiag\n")
                .contains("  tcp                on   partial: ")
                .contains("  nat                off  reading conntrack needs CAP_NET_ADMIN")
                .contains("  refused backend linux-ebpf: ");
        assertThat(run.err()).doesNotContain("Exception", " WARN ", " INFO ", "libbpf:", "WARNING:");
    }

    @Test
    void watchJsonReportsALiveConnectionWithItsExactBytes() throws Exception {
        // given: a connection that sent 1,000 bytes, alive while cnm watches
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket connection = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket accepted = listener.accept()) {
            connection.getOutputStream().write(new byte[1000]);
            assertThat(accepted.getInputStream().readNBytes(1000)).hasSize(1000);

            // when
            CommandRun run = runWithoutCapabilities("watch", "--json", "--interval", "1s", "--duration", "2s");

            // then
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).as("no JDK warning, e.g. about sun.misc.Unsafe").doesNotContain("WARNING:");
            assertThat(run.out().lines()).allMatch(line -> line.startsWith("{\"type\":"));
            assertThat(run.out().lines()).anyMatch(line -> line.contains("\"lport\":" + connection.getLocalPort() + ",")
                    && line.contains("\"direction\":\"outgoing\"") && line.contains("\"bytes_sent\":1000,")
                    && line.contains("\"nat\":null"));
            assertThat(run.out().lines()).anyMatch(line -> line.startsWith("{\"type\":\"telemetry\"")
                    && line.contains("\"backend\":\"linux-sockdiag\"") && line.contains("\"sockdiag_connections_missed\":"));
        }
    }

    @Test
    void topShowsTheSockDiagBackendAndQuitsOnQ() throws Exception {
        // given
        Process top = startWithoutCapabilities(ProcessBuilder.Redirect.PIPE, "top", "--interval", "1s");

        // when: the first refresh is drawn, q is typed
        String screen = readUntil(top, "backend linux-sockdiag  connections ");
        top.getOutputStream().write('q');
        top.getOutputStream().flush();

        // then
        assertThat(top.waitFor(10, TimeUnit.SECONDS)).as(screen).isTrue();
        assertThat(top.exitValue()).isZero();
        assertThat(screen).contains("cnm4j top: backend linux-sockdiag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"caps", "watch", "top", "map"})
    void askingForEbpfSaysInOneSentenceWhatIsMissingAndExitsWith2(String command) throws Exception {
        // when
        CommandRun run = runWithoutCapabilities(command, "--backend", "linux-ebpf");

        // then: no stack trace, no libbpf or slf4j warnings, just the reason with what to do
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).hasLineCount(1)
                .startsWith("No cnm4j backend can run here: linux-ebpf: ")
                .doesNotContain("Exception", "WARN", "libbpf:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"watch", "map"})
    void anExistingOutputFileIsLeftIntact(String command) throws Exception {
        // given
        Path previous = workDirectory.resolve("previous-" + command + ".txt");
        Files.writeString(previous, "recorded earlier\n");

        // when
        CommandRun run = runWithoutCapabilities(command, "--backend", "linux-ebpf", "--output", previous.toString());

        // then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(previous).hasContent("recorded earlier");
    }

    /** Standard output until it contains {@code marker} (bounded: 20 s, else what came so far). */
    private static String readUntil(Process process, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        InputStream out = process.getInputStream();
        while (!seen.toString().contains(marker) && System.nanoTime() - deadline < 0 && process.isAlive()) {
            if (out.available() > 0) {
                seen.append(new String(out.readNBytes(out.available()), StandardCharsets.UTF_8));
            } else {
                sleep(50);
            }
        }
        return seen.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
