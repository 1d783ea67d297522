package io.cnm4j.examples.cnm;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.NetworkMonitor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code cnm watch}: every interval, the connections with activity (as text, or as JSON lines
 * of connections, DNS statistics and telemetry with {@code --json}), to standard output or a file.
 *
 * @param capture how to capture
 * @param json JSON lines instead of text
 * @param output file to write, or null for standard output
 * @param duration how long to run, or null: until Ctrl-C, or to the end of the replay file
 */
record WatchCommand(CaptureOptions capture, boolean json, Path output, Duration duration) implements Subcommand {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    static WatchCommand parse(List<String> args) throws UsageException {
        Map<String, OptionParser.Arity> accepted = CaptureOptions.accepted();
        accepted.put("--json", OptionParser.Arity.FLAG);
        accepted.put("--output", OptionParser.Arity.ONE);
        accepted.put("--duration", OptionParser.Arity.ONE);
        OptionParser options = OptionParser.parse("watch", args, accepted);
        return new WatchCommand(CaptureOptions.from(options, DEFAULT_INTERVAL), options.has("--json"),
                options.value("--output").map(Path::of).orElse(null), options.duration("--duration", null));
    }

    @Override
    public int run(Streams io) {
        Duration total = duration != null ? duration : capture.naturalDuration();
        PollLoop loop = new PollLoop(capture.interval(), total);
        // The monitor opens first: when capture cannot run here, an existing --output file stays intact.
        try (StopSignal stop = StopSignal.onShutdown();
                NetworkMonitor monitor = capture.open();
                OutputStream file = output == null ? null : Files.newOutputStream(output)) {
            OutputStream target = file == null ? io.out() : file;
            stop.closeIfStuck(monitor);
            FlowClient client = monitor.registerClient("cnm-watch");
            monitor.start();
            if (json) {
                try (FlowJsonWriter writer = FlowJsonWriter.to(target)) {
                    loop.run(client, stop, true, writer::writeSnapshot);
                }
            } else {
                PrintStream text = file == null ? io.out() : new PrintStream(file, false, StandardCharsets.UTF_8);
                loop.run(client, stop, true, snapshot -> {
                    TextLines.of(snapshot).forEach(text::println);
                    text.flush();
                });
            }
        } catch (IOException e) {
            io.err().println("cnm: cannot write " + output + ": " + e.getMessage());
            return Cnm.EXIT_FAILURE;
        }
        return Cnm.EXIT_OK;
    }
}
