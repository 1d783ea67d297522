package io.cnm4j.examples.cnm;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.NetworkMonitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cnm map}: watches for a while, then writes who talked to whom as a Mermaid or
 * Graphviz DOT graph, or as an SVG or PNG image that Graphviz's {@code dot} draws. Ctrl-C
 * writes the map accumulated so far.
 *
 * @param capture how to capture
 * @param duration how long to watch, or null: 30 s, or to the end of the replay file
 * @param format the graph language or image format
 * @param output file to write, or null for standard output (never null for a binary format)
 * @param grouping what nodes group ({@code --by}), or null for processes and endpoints
 * @param cidrRules {@code --tag-cidr} rules
 */
record MapCommand(CaptureOptions capture, Duration duration, MapFormat format, Path output, Grouping grouping,
        List<String> cidrRules) implements Subcommand {
    MapCommand {
        cidrRules = List.copyOf(cidrRules);
    }

    MapCommand(CaptureOptions capture, Duration duration, MapFormat format, Path output) {
        this(capture, duration, format, output, null, List.of());
    }

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);

    static MapCommand parse(List<String> args) throws UsageException {
        Map<String, OptionParser.Arity> accepted = CaptureOptions.accepted();
        accepted.put("--duration", OptionParser.Arity.ONE);
        accepted.put("--format", OptionParser.Arity.ONE);
        accepted.put("--output", OptionParser.Arity.ONE);
        accepted.put("--by", OptionParser.Arity.ONE);
        accepted.put(ToolTaggers.TAG_CIDR, OptionParser.Arity.MANY);
        OptionParser options = OptionParser.parse("map", args, accepted);
        MapFormat format = options.value("--format").isPresent()
                ? MapFormat.byName(options.value("--format").get()) : MapFormat.MERMAID;
        Path output = options.value("--output").map(Path::of).orElse(null);
        if (format.binary() && output == null) {
            throw new UsageException(UsageException.Problem.MISSING_OPTION, "--output",
                    "--format " + format.optionValue() + " needs --output FILE: the image is binary");
        }
        Grouping grouping = options.value("--by").isPresent() ? Grouping.byName("--by", options.value("--by").get()) : null;
        List<String> cidrRules = options.values(ToolTaggers.TAG_CIDR);
        ToolTaggers.cidrRules(cidrRules);
        return new MapCommand(CaptureOptions.from(options, DEFAULT_INTERVAL), options.duration("--duration", null),
                format, output, grouping, cidrRules);
    }

    @Override
    public int run(Streams io) {
        return run(io, System.getenv("PATH"));
    }

    /**
     * Runs the command, looking for Graphviz's {@code dot} (needed for SVG and PNG) on
     * {@code searchPath}, a {@code PATH} value; tests pass their own.
     */
    int run(Streams io, String searchPath) {
        Optional<GraphvizDot> dot = Optional.empty();
        if (format.graphvizType().isPresent()) {
            // Checked before capturing: nobody should watch for 30 s to learn that dot is missing.
            dot = GraphvizDot.onPath(searchPath);
            if (dot.isEmpty()) {
                io.err().println("cnm map --format " + format.optionValue()
                        + " needs Graphviz's dot on the PATH: apt-get install graphviz");
                return Cnm.EXIT_UNAVAILABLE;
            }
        }
        String text = format.render(watch().edges());
        byte[] content;
        try {
            content = dot.isPresent()
                    ? dot.get().draw(text, format.graphvizType().orElseThrow())
                    : text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            io.err().println("cnm: Graphviz could not draw the map: " + e.getMessage());
            return Cnm.EXIT_FAILURE;
        }
        if (output == null) {
            io.out().writeBytes(content);
            io.out().flush();
            return Cnm.EXIT_OK;
        }
        try {
            Files.write(output, content);
        } catch (IOException e) {
            io.err().println("cnm: cannot write " + output + ": " + e.getMessage());
            return Cnm.EXIT_FAILURE;
        }
        return Cnm.EXIT_OK;
    }

    private DependencyMap watch() {
        Duration total = duration != null ? duration
                : capture.replay() != null ? capture.naturalDuration() : DEFAULT_DURATION;
        DependencyMap map = new DependencyMap(ProcCommNames.host(), grouping);
        try (StopSignal stop = StopSignal.onShutdown(); ToolTaggers tagging = ToolTaggers.open(cidrRules);
                NetworkMonitor monitor = capture.open(tagging.taggers())) {
            stop.closeIfStuck(monitor);
            FlowClient client = monitor.registerClient("cnm-map");
            monitor.start();
            new PollLoop(capture.interval(), total).run(client::poll, stop, true, map::add);
        }
        return map;
    }
}
