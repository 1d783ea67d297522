package io.cnm4j.examples.cnm;

import io.cnm4j.core.NetworkMonitor;
import java.util.List;
import java.util.Map;

/**
 * {@code cnm caps}: the backend that would capture here, each feature on or off with its
 * reason, and why the other backends were refused. Captures nothing.
 *
 * @param capture the backend or replay file to report on
 */
record CapsCommand(CaptureOptions capture) implements Subcommand {
    static CapsCommand parse(List<String> args) throws UsageException {
        Map<String, OptionParser.Arity> accepted = Map.of(
                CaptureOptions.BACKEND, OptionParser.Arity.ONE,
                CaptureOptions.REPLAY, OptionParser.Arity.ONE);
        OptionParser options = OptionParser.parse("caps", args, accepted);
        return new CapsCommand(CaptureOptions.from(options, WatchCommand.DEFAULT_INTERVAL));
    }

    @Override
    public int run(Streams io) {
        try (NetworkMonitor monitor = capture.open()) {
            io.out().print(monitor.capabilities().report());
        }
        io.out().flush();
        return Cnm.EXIT_OK;
    }
}
