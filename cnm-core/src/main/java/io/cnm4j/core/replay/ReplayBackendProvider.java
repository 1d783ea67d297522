package io.cnm4j.core.replay;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.internal.LogText;
import io.cnm4j.core.internal.ReplayLine;
import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides a backend that replays recorded events from JSON lines instead of capturing, so that
 * a collector can be tested without a kernel. Pass it to {@code NetworkMonitor.builder().backend(…)}.
 *
 * <p>Each line is one object with an {@code "event"} field:
 * <ul>
 *   <li>{@code "update"}: a live flow's monotonic counters; required: {@code cookie}, {@code proto},
 *       {@code family}, {@code laddr}, {@code lport}, {@code raddr}, {@code rport} (addresses of
 *       the family); optional (0 when absent): {@code flow_id} (default: the cookie),
 *       {@code pid}, {@code netns}, {@code direction}, {@code bytes_sent}, {@code bytes_recv},
 *       {@code packets_sent}, {@code packets_recv}, {@code retransmits}, {@code established},
 *       {@code rtt_us}, {@code rtt_var_us}, {@code start_ns}, {@code ts_ns}, and the process facts
 *       the kernel captures with the PID: {@code comm} (process name, truncated to 16 bytes) and
 *       {@code cgroup_id} (cgroup v2 id), both optional);</li>
 *   <li>{@code "closed"}: the same fields with the final counters, plus {@code errno} for a failure;</li>
 *   <li>{@code "dns"}: one DNS response ({@code client}, {@code server}, {@code domain}, optional
 *       {@code qtype} (default A), then {@code rcode} and {@code latency_us}, or {@code "timeout":true});</li>
 *   <li>{@code "tick"}: the end of an interval: each collection (a poll or a listener interval)
 *       replays the lines up to the next tick.</li>
 * </ul>
 * Connection records go through the monitor's ingestion queue like a real backend's closed
 * events, all of them, so that they are applied in file order. An incomplete or invalid line
 * (not JSON, a missing or repeated field, an unknown field, a number out of range, an address of
 * the other family) is rejected as a {@link ReplayRecordException} naming its line: it is logged
 * (its number at WARN, the problem at DEBUG, since it may quote recorded addresses), counted as
 * {@code replay_rejected_lines}, and the other lines are replayed. DNS statistics wait for the
 * collection in a map of at most {@code max_dns_stats} keys; records of further keys are counted
 * as {@code replay_dns_stats_dropped}. Blank lines and lines starting with {@code #} are ignored.
 */
public final class ReplayBackendProvider implements FlowBackendProvider {
    /** Lines rejected as incomplete or invalid records. */
    public static final TelemetryCounter REJECTED_LINES = TelemetryCounter.loss("replay_rejected_lines",
            "replay lines rejected as incomplete or invalid records (logged with their line number)");
    /** DNS records of keys beyond the bounded map of one collection. */
    public static final TelemetryCounter DNS_STATS_DROPPED = TelemetryCounter.loss("replay_dns_stats_dropped",
            "replayed DNS records dropped because one interval already held max_dns_stats keys");

    private static final Logger LOG = LoggerFactory.getLogger(ReplayBackendProvider.class);

    private final String source;
    private final Supplier<BufferedReader> opener;

    private ReplayBackendProvider(String source, Supplier<BufferedReader> opener) {
        this.source = source;
        this.opener = opener;
    }

    /**
     * Replays a JSON-lines file (UTF-8).
     *
     * @param file the file, read when the backend opens
     * @return the replaying provider
     */
    public static ReplayBackendProvider fromFile(Path file) {
        return new ReplayBackendProvider(file.toString(), () -> {
            try {
                return Files.newBufferedReader(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open replay file " + file, e);
            }
        });
    }

    /**
     * Replays lines held in memory.
     *
     * @param lines the lines, one event each
     * @return the replaying provider
     */
    public static ReplayBackendProvider fromLines(List<String> lines) {
        String text = String.join("\n", lines);
        return new ReplayBackendProvider("memory", () -> new BufferedReader(new StringReader(text)));
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability(MonitorConfig config) {
        return Availability.available("replays " + source);
    }

    @Override
    public FlowBackend open(BackendContext context) {
        return new Replayer(opener.get(), context.events(), context.config().maxDnsStats());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return List.of(REJECTED_LINES, DNS_STATS_DROPPED);
    }

    private static final class Replayer implements FlowBackend {
        private final BufferedReader reader;
        private final ConnectionEventSink sink;
        private final int maxDnsStats;
        private final ReplayLine line = new ReplayLine();
        private final Map<DnsStatsKey, DnsStats.Builder> dns = new LinkedHashMap<>();
        private long lineNumber;
        private long rejected;
        private long dnsDropped;
        private boolean started;
        private boolean closed;

        Replayer(BufferedReader reader, ConnectionEventSink sink, int maxDnsStats) {
            this.reader = reader;
            this.sink = sink;
            this.maxDnsStats = maxDnsStats;
        }

        @Override
        public void start() {
            started = true;
        }

        @Override
        public void readActive(ActiveConnectionConsumer consumer) {
            // Records go through the sink, not the consumer, so that updates and closes of one
            // tick are applied in file order (the monitor drains the queue after this read).
            if (!started || closed) {
                return;
            }
            String text;
            try {
                while ((text = reader.readLine()) != null) {
                    lineNumber++;
                    if (text.isBlank() || text.startsWith("#")) {
                        continue;
                    }
                    try {
                        line.parse(text, lineNumber);
                    } catch (ReplayRecordException e) {
                        rejected++;
                        // The problem may quote the line (recorded addresses, domains): DEBUG only.
                        LOG.warn("replay line {} rejected (the problem is logged at DEBUG)", e.lineNumber());
                        LOG.debug("replay line {} rejected: {}", e.lineNumber(), LogText.escape(e.problem()));
                        continue;
                    }
                    if (line.kind() == ReplayLine.Kind.TICK) {
                        return;
                    }
                    replay();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading replay input failed at line " + lineNumber, e);
            }
        }

        private void replay() {
            switch (line.kind()) {
                case UPDATE, CLOSED -> {
                    ConnectionEvent event = sink.claim();
                    if (event != null) {
                        sink.publish(event.copyFrom(line.event()));
                    }
                }
                case DNS -> {
                    DnsStatsKey key = line.dnsKey();
                    DnsStats.Builder stats = dns.get(key);
                    if (stats == null) {
                        if (dns.size() >= maxDnsStats) {
                            dnsDropped++;
                            return;
                        }
                        stats = DnsStats.builder(key);
                        dns.put(key, stats);
                    }
                    if (line.dnsTimeout()) {
                        stats.timeout();
                    } else {
                        stats.response(line.dnsRcode(), line.dnsLatencyMicros());
                    }
                }
                case TICK -> throw new IllegalStateException("ticks end an interval before replay");
            }
        }

        @Override
        public List<DnsStats> drainDnsStats() {
            List<DnsStats> interval = new ArrayList<>(dns.size());
            dns.values().forEach(b -> interval.add(b.build()));
            dns.clear();
            return interval;
        }

        @Override
        public Map<Feature, FeatureStatus> features() {
            Map<Feature, FeatureStatus> features = new EnumMap<>(Feature.class);
            for (Feature feature : Feature.values()) {
                features.put(feature, FeatureStatus.on("as recorded"));
            }
            features.put(Feature.NAT, FeatureStatus.off("replay files carry no NAT translation"));
            return features;
        }

        @Override
        public Map<String, Long> telemetry() {
            return Map.of(REJECTED_LINES.name(), rejected, DNS_STATS_DROPPED.name(), dnsDropped);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                reader.close();
            } catch (IOException e) {
                LOG.debug("closing replay input failed", e);
            }
        }
    }
}
