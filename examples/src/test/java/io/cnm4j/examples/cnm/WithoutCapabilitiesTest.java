package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code cnm} in a JVM of its own with every capability dropped ({@code setpriv}), as a user
 * without privileges runs it. Dropping capabilities needs root (CI runs as root); elsewhere the
 * test is skipped. The user stays uid 0 so that the JVM can still read the Maven repository.
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
        List<String> command = new ArrayList<>(DROP_EVERY_CAPABILITY);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // What the manifest of cnm.jar grants.
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Cnm.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> environment = builder.environment();
        // The JVM would announce these options on stderr.
        environment.keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        Path out = workDirectory.resolve("out.txt");
        Path err = workDirectory.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("cnm " + String.join(" ", args) + " still runs after 60 s");
        }
        return new CommandRun(process.exitValue(), Files.readString(out),
                Files.readString(err));
    }

    @ParameterizedTest
    @ValueSource(strings = {"caps", "watch", "top", "map"})
    void captureCommandsSayInOneSentenceWhatIsMissingAndExitWith2(String command) throws Exception {
        // when
        CommandRun run = runWithoutCapabilities(command);

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
        CommandRun run = runWithoutCapabilities(command, "--output", previous.toString());

        // then
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(previous).hasContent("recorded earlier");
    }
}
