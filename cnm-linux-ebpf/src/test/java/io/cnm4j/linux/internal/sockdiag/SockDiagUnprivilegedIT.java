package io.cnm4j.linux.internal.sockdiag;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.linux.internal.conntrack.NatTestNetwork;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor as user nobody (uid 65534) with no capability at all, in a network namespace of
 * this run (so that no other traffic mixes into the counts): it falls back to
 * {@code linux-sockdiag}, measures a long-lived connection exactly and counts the connection it
 * could not see.
 */
class SockDiagUnprivilegedIT {
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534",
            "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--");

    @TempDir
    static Path copies;
    static NatTestNetwork network;
    static Map<String, String> probe;

    @BeforeAll
    static void runProbeAsNobody() throws Exception {
        network = NatTestNetwork.require();
        String namespace = network.namespace("u");
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(AS_NOBODY);
        // The probe runs as a class-path application would, where native access goes to ALL-UNNAMED.
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", readableClassPath(), SockDiagProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("probe still runs after 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        probe = new HashMap<>();
        output.lines().filter(l -> l.contains("=")).forEach(l -> probe.putIfAbsent(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        probe.put("output", output);
    }

    @AfterAll
    static void removeNamespace() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void withoutCapabilitiesTheMonitorFallsBackToSockDiag() {
        assertThat(probe.get("backend")).as(probe.get("output")).isEqualTo("linux-sockdiag");
        assertThat(probe.get("nat")).startsWith("reading conntrack needs CAP_NET_ADMIN");
    }

    @Test
    void aLongLivedConnectionIsReportedWithExactBytesOnBothEnds() {
        String pid = probe.get("pid");

        assertThat(probe.get("client")).as(probe.get("output"))
                .isEqualTo("outgoing pid=" + pid + " sent=300000 received=300000");
        assertThat(probe.get("server")).isEqualTo("incoming pid=" + pid + " sent=300000 received=300000");
    }

    @Test
    void aConnectionOpenedAndClosedBetweenPollsIsCountedAsMissed() {
        assertThat(probe.get("missed_first")).as(probe.get("output")).isEqualTo("0");
        assertThat(probe.get("brief_reported")).isEqualTo("false");
        // both ends of the loopback connection: one active and one passive open, neither seen
        assertThat(probe.get("missed_second")).isEqualTo("2");
    }

    /**
     * The test class path and module path, as one class path, copied where uid 65534 can read it
     * (the Maven repository is root's).
     */
    private static String readableClassPath() throws IOException {
        Files.setPosixFilePermissions(copies, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int index = 0;
        String paths = System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        for (String entry : paths.split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (entry.isEmpty() || !Files.exists(source)) {
                continue;
            }
            Path target = copies.resolve(index++ + "-" + source.getFileName());
            copy(source, target);
            entries.add(target.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void copy(Path source, Path target) throws IOException {
        try (Stream<Path> tree = Files.walk(source)) {
            tree.forEach(path -> {
                Path destination = target.resolve(source.relativize(path).toString());
                try {
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(destination);
                        Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else {
                        Files.copy(path, destination);
                        Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
