package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cnm map --format svg|png}: images drawn by Graphviz's dot, and what happens without it. */
class MapImagesTest {
    private static final String MAP_REPLAY = TestFiles.replay("map.jsonl").toString();
    /** Every node of map.jsonl; its pids are above the kernel's pid_max, so no live process names them. */
    private static final List<String> NODE_LABELS = List.of(
            "pid 4194401", "93.184.216.34:443", "10.0.0.7", "pid 4194402", "10.0.0.9:5432");
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Graphviz's dot on this PATH; without it the test is skipped, except in CI, where it fails. */
    private static void requireDot() {
        if (GraphvizDot.onPath(System.getenv("PATH")).isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Graphviz's dot must be on the PATH in CI (apt-get install graphviz)");
            }
            Assumptions.abort("Graphviz's dot is not on the PATH (apt-get install graphviz)");
        }
    }

    private static CommandRun runMap(String searchPath, String... options) throws UsageException {
        MapCommand command = (MapCommand) Cnm.parse(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = command.run(new Streams(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                searchPath);
        return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path executable(Path file, String script) throws IOException {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void svgOfAReplayGoesToStandardOutputAndNamesEveryNode() {
        requireDot();

        // when
        CommandRun run = CommandRun.of("map", "--replay", MAP_REPLAY, "--interval", "10ms", "--format", "svg");

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("<svg").endsWith("</svg>\n");
        NODE_LABELS.forEach(label -> assertThat(run.out()).contains(">" + label + "</text>"));
    }

    @Test
    void pngOfAReplayIsWrittenToTheOutputFile(@TempDir Path dir) throws IOException {
        requireDot();
        Path png = dir.resolve("map.png");

        // when
        CommandRun run = CommandRun.of("map", "--replay", MAP_REPLAY, "--interval", "10ms", "--format", "png",
                "--output", png.toString());

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEmpty();
        byte[] image = Files.readAllBytes(png);
        assertThat(image).startsWith(PNG_SIGNATURE).hasSizeGreaterThan(1000);
    }

    @Test
    void withoutDotOnThePathAnImageIsOneSentenceAndExitCode2(@TempDir Path emptyDirectory) throws UsageException {
        // given: a PATH on which there is no dot
        Path png = emptyDirectory.resolve("map.png");

        // when
        CommandRun svg = runMap(emptyDirectory.toString(), "map", "--replay", MAP_REPLAY, "--format", "svg");
        CommandRun pngRun = runMap(emptyDirectory + ":/nonexistent", "map", "--replay", MAP_REPLAY, "--format", "png",
                "--output", png.toString());

        // then
        assertThat(svg.exitCode()).isEqualTo(2);
        assertThat(svg.out()).isEmpty();
        assertThat(svg.err()).isEqualTo("cnm map --format svg needs Graphviz's dot on the PATH: apt-get install graphviz\n");
        assertThat(pngRun.exitCode()).isEqualTo(2);
        assertThat(pngRun.err()).isEqualTo("cnm map --format png needs Graphviz's dot on the PATH: apt-get install graphviz\n");
        assertThat(png).doesNotExist();
    }

    @Test
    void graphLanguagesNeedNoDot(@TempDir Path emptyDirectory) throws UsageException {
        CommandRun run = runMap(emptyDirectory.toString(), "map", "--replay", MAP_REPLAY, "--interval", "10ms",
                "--format", "dot");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("digraph cnm {\n");
    }

    @Test
    void dotIsTheFirstExecutableOneOnThePath(@TempDir Path dir) throws IOException {
        // given: a dot that is not executable, then two that are
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Path third = Files.createDirectories(dir.resolve("third"));
        Files.writeString(first.resolve("dot"), "not a program");
        executable(second.resolve("dot"), "#!/bin/sh\n");
        executable(third.resolve("dot"), "#!/bin/sh\n");

        // when / then
        assertThat(GraphvizDot.onPath("::" + first + ":" + second + ":" + third))
                .contains(new GraphvizDot(second.resolve("dot")));
        assertThat(GraphvizDot.onPath(first.toString())).isEmpty();
        assertThat(GraphvizDot.onPath("")).isEmpty();
        assertThat(GraphvizDot.onPath(null)).isEmpty();
    }

    @Test
    void theDotSourceGoesToStandardInputAndTheImageComesFromStandardOutput(@TempDir Path dir) throws IOException {
        // given: a dot that echoes its type and input
        GraphvizDot dot = new GraphvizDot(executable(dir.resolve("dot"), "#!/bin/sh\necho \"type $1\"\ncat\n"));

        // when
        byte[] image = dot.draw("digraph cnm {\n}\n", "svg");

        // then
        assertThat(new String(image, StandardCharsets.UTF_8)).isEqualTo("type -Tsvg\ndigraph cnm {\n}\n");
    }

    @Test
    void aFailingDotIsReportedWithItsMessageAndExitCode1(@TempDir Path dir) throws IOException, UsageException {
        // given: a dot that rejects its input the way Graphviz does
        Path fake = executable(dir.resolve("dot"),
                "#!/bin/sh\ncat >/dev/null\necho 'Error: <stdin>: syntax error in line 2' >&2\nexit 1\n");

        // when
        CommandRun run = runMap(dir.toString(), "map", "--replay", MAP_REPLAY, "--interval", "10ms", "--format", "svg");

        // then
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("cnm: Graphviz could not draw the map: " + fake
                + " -Tsvg exited with status 1: Error: <stdin>: syntax error in line 2\n");
        assertThatThrownBy(() -> new GraphvizDot(dir.resolve("missing")).draw("digraph {}", "png"))
                .isInstanceOf(IOException.class);
    }
}
