package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.examples.cnm.CaptureOptions.Exclusion;
import io.cnm4j.examples.cnm.UsageException.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CnmArgumentsTest {
    private static final String REPLAY = TestFiles.replay("two-intervals.jsonl").toString();

    private static UsageException usageError(String... args) {
        try {
            Cnm.parse(List.of(args));
        } catch (UsageException e) {
            return e;
        }
        throw new AssertionError("parsed without error: " + List.of(args));
    }

    @Test
    void watchWithEveryOptionParsesIntoTypedValues() throws UsageException {
        // given
        List<String> args = List.of("watch", "--json", "--output", "out.jsonl", "--interval", "5s",
                "--duration", "1m30s", "--backend", "linux-ebpf", "--no-dns", "--exclude", "10.0.0.0/8:*",
                "--exclude", "*:tcp 22, udp 53", "--exclude=fd00::/8:443");

        // when
        Subcommand command = Cnm.parse(args);

        // then
        assertThat(command).isEqualTo(new WatchCommand(
                new CaptureOptions(Duration.ofSeconds(5), "linux-ebpf", null, false, List.of(
                        new Exclusion("10.0.0.0/8", List.of("*")),
                        new Exclusion("*", List.of("tcp 22", "udp 53")),
                        new Exclusion("fd00::/8", List.of("443")))),
                true, Path.of("out.jsonl"), Duration.ofSeconds(90)));
    }

    @Test
    void commandsWithoutOptionsGetTheirDefaults() throws UsageException {
        CaptureOptions tenSeconds = new CaptureOptions(Duration.ofSeconds(10), "", null, true, List.of());

        assertThat(Cnm.parse(List.of("watch"))).isEqualTo(new WatchCommand(tenSeconds, false, null, null));
        assertThat(Cnm.parse(List.of("top"))).isEqualTo(
                new TopCommand(new CaptureOptions(Duration.ofSeconds(2), "", null, true, List.of())));
        assertThat(Cnm.parse(List.of("map"))).isEqualTo(new MapCommand(tenSeconds, null, MapFormat.MERMAID, null));
        assertThat(Cnm.parse(List.of("caps"))).isEqualTo(new CapsCommand(tenSeconds));
    }

    @Test
    void mapReadsFormatDurationAndReplayFile() throws UsageException {
        Subcommand command = Cnm.parse(List.of("map", "--duration=45s", "--format", "DOT", "--replay", REPLAY,
                "--interval", "500ms"));

        assertThat(command).isEqualTo(new MapCommand(
                new CaptureOptions(Duration.ofMillis(500), "", Path.of(REPLAY), true, List.of()),
                Duration.ofSeconds(45), MapFormat.DOT, null));
    }

    @Test
    void mapWritesImagesToAnOutputFileWhichPngRequires() throws UsageException {
        CaptureOptions tenSeconds = new CaptureOptions(Duration.ofSeconds(10), "", null, true, List.of());

        assertThat(Cnm.parse(List.of("map", "--format", "svg"))).isEqualTo(
                new MapCommand(tenSeconds, null, MapFormat.SVG, null));
        assertThat(Cnm.parse(List.of("map", "--format", "png", "--output", "map.png"))).isEqualTo(
                new MapCommand(tenSeconds, null, MapFormat.PNG, Path.of("map.png")));
        assertThat(usageError("map", "--format", "png")).satisfies(e -> {
            assertThat(e.problem()).isEqualTo(Problem.MISSING_OPTION);
            assertThat(e.argument()).isEqualTo("--output");
            assertThat(e.getMessage()).isEqualTo("--format png needs --output FILE: the image is binary");
        });
    }

    @Test
    void helpAnywhereWinsOverOtherArguments() throws UsageException {
        assertThat(Cnm.parse(List.of("help"))).isEqualTo(new HelpCommand());
        assertThat(Cnm.parse(List.of("watch", "--bogus", "--help"))).isEqualTo(new HelpCommand());
        assertThat(Cnm.parse(List.of("-h"))).isEqualTo(new HelpCommand());
    }

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "10s, PT10S",
            "2m, PT2M",
            "1h, PT1H",
            "1m30s, PT1M30S",
            "1h0m5s250ms, PT1H0M5.25S"})
    void durationsInEveryUnitParse(String text, Duration expected) throws UsageException {
        assertThat(DurationArgument.parse("--interval", text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"10x", "10", "s", "-5s", "1.5s", "0s", "0ms", "10 s", "''"})
    void malformedOrEmptyDurationsAreRejected(String text) {
        assertThatThrownBy(() -> DurationArgument.parse("--interval", text))
                .isInstanceOfSatisfying(UsageException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.BAD_DURATION);
                    assertThat(e.argument()).isEqualTo("--interval");
                });
    }

    @Test
    void badDurationMessageNamesOptionAndValue() {
        UsageException e = usageError("watch", "--interval", "10x");

        assertThat(e.problem()).isEqualTo(Problem.BAD_DURATION);
        assertThat(e.getMessage()).isEqualTo("--interval takes a duration such as 500ms, 10s, 2m or 1h, not '10x'");
    }

    @Test
    void unknownOptionIsNamedWithItsCommand() {
        UsageException e = usageError("watch", "--jsn");

        assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_OPTION);
        assertThat(e.argument()).isEqualTo("--jsn");
        assertThat(e.getMessage()).isEqualTo("unknown option '--jsn' for 'watch'");
    }

    @Test
    void optionsOfOtherCommandsAreUnknown() {
        assertThat(usageError("caps", "--json").problem()).isEqualTo(Problem.UNKNOWN_OPTION);
        assertThat(usageError("top", "--duration", "5s").problem()).isEqualTo(Problem.UNKNOWN_OPTION);
        assertThat(usageError("watch", "--format", "dot").problem()).isEqualTo(Problem.UNKNOWN_OPTION);
    }

    @Test
    void valueMissingAtTheEndOrBeforeAnotherOption() {
        UsageException atEnd = usageError("watch", "--output");
        UsageException beforeOption = usageError("watch", "--output", "--json");

        assertThat(atEnd.problem()).isEqualTo(Problem.MISSING_VALUE);
        assertThat(atEnd.getMessage()).isEqualTo("--output needs a value");
        assertThat(beforeOption.problem()).isEqualTo(Problem.MISSING_VALUE);
        assertThat(beforeOption.argument()).isEqualTo("--output");
    }

    @Test
    void commandProblemsAreTyped() {
        assertThat(usageError().problem()).isEqualTo(Problem.MISSING_COMMAND);
        assertThat(usageError("wach").problem()).isEqualTo(Problem.UNKNOWN_COMMAND);
        assertThat(usageError("wach").getMessage()).isEqualTo("unknown command 'wach'");
        assertThat(usageError("watch", "now").problem()).isEqualTo(Problem.UNEXPECTED_ARGUMENT);
        assertThat(usageError("watch", "--interval", "1s", "--interval", "2s").problem())
                .isEqualTo(Problem.REPEATED_OPTION);
        assertThat(usageError("watch", "--json=yes").problem()).isEqualTo(Problem.BAD_VALUE);
    }

    @Test
    void badValuesAreRejectedWithTheOptionNamed() {
        assertThat(usageError("map", "--format", "pdf")).satisfies(e -> {
            assertThat(e.problem()).isEqualTo(Problem.BAD_VALUE);
            assertThat(e.getMessage()).isEqualTo("--format takes mermaid, dot, svg or png, not 'pdf'");
        });
        assertThat(usageError("watch", "--replay", "/nonexistent/flows.jsonl")).satisfies(e -> {
            assertThat(e.problem()).isEqualTo(Problem.BAD_VALUE);
            assertThat(e.argument()).isEqualTo("--replay");
        });
        assertThat(usageError("watch", "--replay", REPLAY, "--backend", "linux-ebpf").argument())
                .isEqualTo("--backend");
        assertThat(usageError("watch", "--exclude", "10.0.0.0/8").argument()).isEqualTo("--exclude");
        assertThat(usageError("watch", "--exclude", "10.0.0.0/33:*")).satisfies(e -> {
            assertThat(e.problem()).isEqualTo(Problem.BAD_VALUE);
            assertThat(e.argument()).isEqualTo("--exclude");
            assertThat(e.getMessage()).startsWith("invalid destination_exclusions '10.0.0.0/33=[*]'");
        });
        assertThat(usageError("watch", "--exclude", "*:tcp 99999").argument()).isEqualTo("--exclude");
    }

    @Test
    void badArgumentsExitWith64AndPrintTheUsage() {
        CommandRun run = CommandRun.of("watch", "--interval", "10x");

        assertThat(run.exitCode()).isEqualTo(64);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("cnm: --interval takes a duration such as 500ms, 10s, 2m or 1h, not '10x'\n\n"
                + "usage: cnm <command> [options]\n");
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        CommandRun run = CommandRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(Cnm.USAGE);
        assertThat(run.err()).isEmpty();
    }

    @Test
    void durationsFormatBackToTheirShortestText() throws UsageException {
        assertThat(DurationArgument.format(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(DurationArgument.format(Duration.ofMillis(90_500))).isEqualTo("1m30s500ms");
        assertThat(DurationArgument.parse("--d", DurationArgument.format(Duration.ofMillis(3_723_004))))
                .isEqualTo(Duration.ofMillis(3_723_004));
    }
}
