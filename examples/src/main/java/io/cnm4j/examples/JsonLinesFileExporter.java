package io.cnm4j.examples;

import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.FlowListener;
import io.cnm4j.core.NetworkMonitor;
import java.nio.file.Path;
import java.time.Duration;

/** Writes every interval's connections, DNS statistics and telemetry as JSON lines to a file. */
public final class JsonLinesFileExporter {
    private JsonLinesFileExporter() {
    }

    /** Captures with {@code monitor} for {@code duration}, appending one snapshot per interval to {@code file}. */
    public static void export(NetworkMonitor monitor, Path file, Duration duration) throws InterruptedException {
        try (FlowJsonWriter writer = FlowJsonWriter.to(file)) {
            // The writer is not thread-safe; the listener's single thread is its only user until removed.
            FlowListener listener = writer::writeSnapshot;
            monitor.addListener(listener);
            monitor.start();
            Thread.sleep(duration.toMillis());
            monitor.removeListener(listener);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        try (NetworkMonitor monitor = NetworkMonitor.builder().build()) {
            export(monitor, Path.of(args.length > 0 ? args[0] : "flows.jsonl"), Duration.ofMinutes(1));
        }
    }
}
