package io.cnm4j.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The C connection storm ({@code src/main/c/storm.c}, packaged next to this class), compiled
 * with the host's C compiler and run as its own process, so that the load costs the capturing
 * process nothing. Each transaction is a connect, a 1-byte request, a 1-byte answer and a close
 * by the server first (see the source for the exact protocol and output).
 */
final class StormGenerator {
    private static final String[] COMPILERS = {"gcc", "cc", "clang"};

    private final Path binary;

    private StormGenerator(Path binary) {
        this.binary = binary;
    }

    /** Copies the source into {@code directory} and compiles it there. */
    static StormGenerator build(Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path source = directory.resolve("storm.c");
        try (InputStream packaged = StormGenerator.class.getResourceAsStream("storm.c")) {
            if (packaged == null) {
                throw new IOException("storm.c is not on the class path next to " + StormGenerator.class.getName());
            }
            Files.copy(packaged, source, StandardCopyOption.REPLACE_EXISTING);
        }
        String compiler = Executables.firstOnPath(COMPILERS).orElseThrow(() -> new IOException(
                "no C compiler on the PATH (tried gcc, cc, clang): apt-get install gcc"));
        Path binary = directory.resolve("storm");
        Process build = new ProcessBuilder(compiler, "-O2", "-Wall", "-o", binary.toString(), source.toString(),
                "-lpthread").redirectErrorStream(true).start();
        String messages = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (build.waitFor() != 0) {
            throw new IOException(compiler + " could not build " + source + ":\n" + messages);
        }
        return new StormGenerator(binary);
    }

    /** The benchmarks module's {@code target/}: the directory holding benchmarks.jar or classes/. */
    static Path targetDirectory() {
        try {
            Path location = Path.of(StormGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toAbsolutePath().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmarks' class path entry", e);
        }
    }

    /** A loopback port free right now, for a server that binds it next. */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * Runs the storm to its end on {@code port}. Options are the generator's own:
     * {@code --rate R}, {@code --seconds S} or {@code --count N}, {@code --concurrency C}, {@code --threads T}.
     */
    StormResult run(int port, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port)));
        command.addAll(List.of(options));
        Process storm = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(storm.getInputStream(), StandardCharsets.UTF_8))) {
            String last = null;
            for (String line; (line = output.readLine()) != null; ) {
                last = line;
            }
            int exit = storm.waitFor();
            if (exit != 0) {
                throw new IOException("storm " + String.join(" ", command.subList(1, command.size()))
                        + " exited with " + exit);
            }
            return StormResult.parse(last);
        } finally {
            storm.destroyForcibly();
        }
    }
}
