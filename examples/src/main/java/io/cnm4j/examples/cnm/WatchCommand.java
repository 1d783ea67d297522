package io.cnm4j.examples.cnm;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.NetworkMonitor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@code cnm watch}: every interval, the connections with activity (as text, or as JSON lines
 * of connections, DNS statistics and telemetry with {@code --json}), to standard output or a file;
 * with {@code --export}, the same snapshots also go to Kafka or an OTLP collector.
 *
 * @param capture how to capture
 * @param json JSON lines instead of text
 * @param output file to write, or null for standard output
 * @param duration how long to run, or null: until Ctrl-C, or to the end of the replay file
 * @param exports where else each snapshot goes
 * @param tagged with {@code --tags}: process, container, Kubernetes, host and CIDR tags on each connection
 * @param cidrRules {@code --tag-cidr} rules (imply {@code --tags})
 */
record WatchCommand(CaptureOptions capture, boolean json, Path output, Duration duration, List<ExportTarget> exports,
        boolean tagged, List<String> cidrRules) implements Subcommand {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    WatchCommand {
        exports = List.copyOf(exports);
        cidrRules = List.copyOf(cidrRules);
    }

    WatchCommand(CaptureOptions capture, boolean json, Path output, Duration duration) {
        this(capture, json, output, duration, List.of(), false, List.of());
    }

    static WatchCommand parse(List<String> args) throws UsageException {
        Map<String, OptionParser.Arity> accepted = CaptureOptions.accepted();
        accepted.put("--json", OptionParser.Arity.FLAG);
        accepted.put("--output", OptionParser.Arity.ONE);
        accepted.put("--duration", OptionParser.Arity.ONE);
        accepted.put(ExportTarget.OPTION, OptionParser.Arity.MANY);
        accepted.put("--tags", OptionParser.Arity.FLAG);
        accepted.put(ToolTaggers.TAG_CIDR, OptionParser.Arity.MANY);
        OptionParser options = OptionParser.parse("watch", args, accepted);
        List<ExportTarget> exports = new ArrayList<>();
        for (String target : options.values(ExportTarget.OPTION)) {
            exports.add(ExportTarget.parse(target));
        }
        List<String> cidrRules = options.values(ToolTaggers.TAG_CIDR);
        ToolTaggers.cidrRules(cidrRules);
        return new WatchCommand(CaptureOptions.from(options, DEFAULT_INTERVAL), options.has("--json"),
                options.value("--output").map(Path::of).orElse(null), options.duration("--duration", null), exports,
                options.has("--tags") || !cidrRules.isEmpty(), cidrRules);
    }

    @Override
    public int run(Streams io) {
        Duration total = duration != null ? duration : capture.naturalDuration();
        PollLoop loop = new PollLoop(capture.interval(), total);
        // The monitor opens first: when capture cannot run here, an existing --output file stays intact.
        try (StopSignal stop = StopSignal.onShutdown();
                ToolTaggers tagging = tagged ? ToolTaggers.open(cidrRules) : null;
                NetworkMonitor monitor = tagging == null ? capture.open() : capture.open(tagging.taggers());
                OutputStream file = output == null ? null : Files.newOutputStream(output)) {
            OutputStream target = file == null ? io.out() : file;
            stop.closeIfStuck(monitor);
            FlowClient client = monitor.registerClient("cnm-watch");
            List<ExportTarget.Opened> opened = new ArrayList<>();
            try {
                for (ExportTarget export : exports) {
                    opened.add(export.open(hostName()));
                }
                // The exporters get the very snapshots that are printed, so both show the same intervals.
                Consumer<FlowSnapshot> exported = snapshot -> opened.forEach(o -> o.listener().onSnapshot(snapshot));
                monitor.start();
                if (json && opened.isEmpty()) {
                    // Nothing else needs connections as objects: each line is written during the read itself.
                    try (FlowJsonWriter writer = FlowJsonWriter.to(target)) {
                        loop.run(() -> {
                            Instant ts = Instant.now();
                            FlowSnapshot rest = client.poll(view -> writer.writeConnection(view, ts));
                            writer.writeSnapshot(rest, ts);
                            return rest;
                        }, stop, true, snapshot -> { });
                    }
                } else if (json) {
                    try (FlowJsonWriter writer = FlowJsonWriter.to(target)) {
                        loop.run(client::poll, stop, true, exported.andThen(writer::writeSnapshot));
                    }
                } else {
                    PrintStream text = file == null ? io.out() : new PrintStream(file, false, StandardCharsets.UTF_8);
                    loop.run(client::poll, stop, true, exported.andThen(snapshot -> {
                        TextLines.of(snapshot).forEach(text::println);
                        text.flush();
                    }));
                }
            } finally {
                for (int i = 0; i < opened.size(); i++) {
                    opened.get(i).close().run();
                    // What was sent and lost, once the exporter has settled every pending record.
                    io.err().println("cnm: exported to " + exports.get(i).text() + ": " + new TreeMap<>(opened.get(i).listener().telemetry()));
                }
            }
        } catch (IOException e) {
            io.err().println("cnm: cannot write " + output + ": " + e.getMessage());
            return Cnm.EXIT_FAILURE;
        }
        return Cnm.EXIT_OK;
    }

    /** This host's name for the exported records' keys and resource, "localhost" when it has none. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
