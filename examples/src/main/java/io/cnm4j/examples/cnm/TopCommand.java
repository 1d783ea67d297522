package io.cnm4j.examples.cnm;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.NetworkMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code cnm top}: a live view of the busiest connections and DNS domains, redrawn every
 * interval with ANSI clear-screen codes. {@code q} quits; Ctrl-C too, through the shutdown hook
 * of {@link StopSignal}, which waits until the monitor is closed and the terminal restored.
 *
 * @param capture how to capture
 */
record TopCommand(CaptureOptions capture, Grouping grouping, List<String> cidrRules) implements Subcommand {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    TopCommand {
        cidrRules = List.copyOf(cidrRules);
    }

    TopCommand(CaptureOptions capture) {
        this(capture, null, List.of());
    }

    static TopCommand parse(List<String> args) throws UsageException {
        java.util.Map<String, OptionParser.Arity> accepted = CaptureOptions.accepted();
        accepted.put("--group-by", OptionParser.Arity.ONE);
        accepted.put(ToolTaggers.TAG_CIDR, OptionParser.Arity.MANY);
        OptionParser options = OptionParser.parse("top", args, accepted);
        Grouping grouping = options.value("--group-by").isPresent()
                ? Grouping.byName("--group-by", options.value("--group-by").get()) : null;
        List<String> cidrRules = options.values(ToolTaggers.TAG_CIDR);
        ToolTaggers.cidrRules(cidrRules);
        return new TopCommand(CaptureOptions.from(options, DEFAULT_INTERVAL), grouping, cidrRules);
    }

    @Override
    public int run(Streams io) {
        TopView view = new TopView(ProcCommNames.host(), ZoneId.systemDefault(), grouping);
        try (StopSignal stop = StopSignal.onShutdown();
                ToolTaggers tagging = ToolTaggers.open(cidrRules);
                NetworkMonitor monitor = capture.open(tagging.taggers());
                Terminal terminal = Terminal.open(io.in())) {
            stop.closeIfStuck(monitor);
            stop.closeIfStuck(terminal);
            FlowClient client = monitor.registerClient("cnm-top");
            monitor.start();
            startKeyReader(io.in(), stop);
            io.out().print(Terminal.CLEAR + "cnm4j top: backend " + monitor.capabilities().backend()
                    + ", first refresh in " + DurationArgument.format(capture.interval()) + " (q quits)");
            io.out().flush();
            new PollLoop(capture.interval(), null).run(client::poll, stop, false, snapshot -> {
                int[] size = terminal.size();
                io.out().print(Terminal.CLEAR + view.render(snapshot, size[1], size[0]));
                io.out().flush();
            });
            io.out().println();
            io.out().flush();
        }
        return Cnm.EXIT_OK;
    }

    /** Reads keys on a daemon thread (a blocked read must not keep the JVM alive); {@code q} stops. */
    private static void startKeyReader(InputStream in, StopSignal stop) {
        Thread reader = new Thread(() -> {
            try {
                int key;
                while ((key = in.read()) != -1) {
                    if (key == 'q' || key == 'Q') {
                        stop.trigger();
                        return;
                    }
                }
            } catch (IOException closed) {
                // No keyboard: Ctrl-C still stops.
            }
        }, "cnm4j-top-keys");
        reader.setDaemon(true);
        reader.start();
    }
}
