package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed BPF object is exactly what {@code src/main/bpf/build.sh} makes from the committed
 * C source: nobody can ship an object that differs from its reviewed source. Needs the clang major
 * version build.sh names (another one generates other code); CI must have it, elsewhere the test
 * is skipped without it.
 */
class BpfObjectReproducibleIT {
    /** The clang/llvm major version the committed object was built with (see build.sh). */
    private static final String CLANG_MAJOR = "14";
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path BUILD_SCRIPT = MODULE.resolve("src/main/bpf/build.sh");
    private static final Path COMMITTED = MODULE.resolve("src/main/resources/io/cnm4j/linux/bpf/cnm_conn.bpf.o");

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true).start();
            String output;
            try (InputStream out = process.getInputStream()) {
                process.getOutputStream().close();
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Why build.sh cannot reproduce the object here, if it cannot. */
    private static Optional<String> toolchainProblem() {
        String clang = Optional.ofNullable(System.getenv("CLANG")).orElse("clang");
        String strip = Optional.ofNullable(System.getenv("LLVM_STRIP")).orElse("llvm-strip");
        Run version = run(List.of(clang, "-dumpversion"));
        if (version.exitCode() != 0) {
            return Optional.of(clang + " is not installed (" + version.output().strip() + ")");
        }
        String major = version.output().strip().split("\\.")[0];
        if (!major.equals(CLANG_MAJOR)) {
            return Optional.of(clang + " is version " + version.output().strip() + "; the committed object needs "
                    + "clang " + CLANG_MAJOR + " (set CLANG and LLVM_STRIP to point at it)");
        }
        if (run(List.of(strip, "--version")).exitCode() != 0) {
            return Optional.of(strip + " is not installed");
        }
        return Optional.empty();
    }

    @Test
    void buildScriptReproducesTheCommittedObjectByteForByte(@TempDir Path out) throws IOException {
        // given: run from the module directory, as Maven does
        assertThat(BUILD_SCRIPT).isRegularFile();
        assertThat(COMMITTED).isRegularFile();
        Optional<String> problem = toolchainProblem();
        if (problem.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI must check that the BPF object is reproducible, but " + problem.get());
            }
            Assumptions.abort(problem.get());
        }

        // when
        Run build = run(List.of("sh", BUILD_SCRIPT.toString(), out.toString()));

        // then
        Path built = out.resolve("cnm_conn.bpf.o");
        assertThat(build.exitCode()).as("build.sh output: %s", build.output()).isZero();
        assertThat(Files.mismatch(built, COMMITTED))
                .as("first differing byte of %s (%d bytes) and the committed %s (%d bytes); rebuild it with "
                        + "src/main/bpf/build.sh and commit it", built, Files.size(built), COMMITTED,
                        Files.size(COMMITTED))
                .isEqualTo(-1L);
    }
}
