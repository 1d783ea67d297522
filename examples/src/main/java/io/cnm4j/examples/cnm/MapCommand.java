package io.cnm4j.examples.cnm;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.NetworkMonitor;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code cnm map}: watches for a while, then prints who talked to whom as a Mermaid or
 * Graphviz DOT graph. Ctrl-C prints the map accumulated so far.
 *
 * @param capture how to capture
 * @param duration how long to watch, or null: 30 s, or to the end of the replay file
 * @param format the graph language
 */
record MapCommand(CaptureOptions capture, Duration duration, MapFormat format) implements Subcommand {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);

    static MapCommand parse(List<String> args) throws UsageException {
        Map<String, OptionParser.Arity> accepted = CaptureOptions.accepted();
        accepted.put("--duration", OptionParser.Arity.ONE);
        accepted.put("--format", OptionParser.Arity.ONE);
        OptionParser options = OptionParser.parse("map", args, accepted);
        MapFormat format = options.value("--format").isPresent()
                ? MapFormat.byName(options.value("--format").get()) : MapFormat.MERMAID;
        return new MapCommand(CaptureOptions.from(options, DEFAULT_INTERVAL), options.duration("--duration", null), format);
    }

    @Override
    public int run(Streams io) {
        Duration total = duration != null ? duration
                : capture.replay() != null ? capture.naturalDuration() : DEFAULT_DURATION;
        DependencyMap map = new DependencyMap(ProcCommNames.host());
        try (StopSignal stop = StopSignal.onShutdown(); NetworkMonitor monitor = capture.open()) {
            stop.closeIfStuck(monitor);
            FlowClient client = monitor.registerClient("cnm-map");
            monitor.start();
            new PollLoop(capture.interval(), total).run(client, stop, true, map::add);
        }
        io.out().print(format.render(map.edges()));
        io.out().flush();
        return Cnm.EXIT_OK;
    }
}
