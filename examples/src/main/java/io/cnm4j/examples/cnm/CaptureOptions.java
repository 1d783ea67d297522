package io.cnm4j.examples.cnm;

import io.cnm4j.core.InvalidConfigException;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.replay.ReplayBackendProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The options that say how to capture, shared by {@code watch}, {@code top} and {@code map}:
 * {@code --interval}, {@code --backend}, {@code --replay}, {@code --no-dns}, {@code --exclude}.
 *
 * @param interval time between two collections
 * @param backend backend name to force; empty picks the best available one
 * @param replay replay file to read instead of capturing, or null
 * @param dnsEnabled false with {@code --no-dns}
 * @param exclusions destinations never reported, from {@code --exclude CIDR:PORTSPEC}
 */
record CaptureOptions(Duration interval, String backend, Path replay, boolean dnsEnabled, List<Exclusion> exclusions) {
    static final String INTERVAL = "--interval";
    static final String BACKEND = "--backend";
    static final String REPLAY = "--replay";
    static final String NO_DNS = "--no-dns";
    static final String EXCLUDE = "--exclude";

    private static final Duration MIN_CLIENT_EXPIRY = Duration.ofMinutes(2);

    /**
     * A destination exclusion: remote addresses in {@code cidr} (or {@code *}) on the given port entries.
     *
     * @param cidr such as {@code 10.0.0.0/8}, {@code fd00::/8} or {@code *}
     * @param ports entries such as {@code *}, {@code 22}, {@code tcp 22}, {@code 8000-9000}
     */
    record Exclusion(String cidr, List<String> ports) {
        Exclusion {
            Objects.requireNonNull(cidr, "cidr");
            ports = List.copyOf(ports);
        }

        /** Parses {@code CIDR:PORTSPEC}, where PORTSPEC is comma-separated; the last colon splits (IPv6). */
        static Exclusion parse(String text) throws UsageException {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new UsageException(UsageException.Problem.BAD_VALUE, EXCLUDE,
                        EXCLUDE + " takes CIDR:PORTSPEC such as \"10.0.0.0/8:*\" or \"*:tcp 22\", not '" + text + "'");
            }
            List<String> ports = List.of(text.substring(colon + 1).split(","));
            return new Exclusion(text.substring(0, colon).trim(), ports.stream().map(String::trim).toList());
        }
    }

    CaptureOptions {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(backend, "backend");
        exclusions = List.copyOf(exclusions);
    }

    /** The capture options accepted by every capturing command. */
    static Map<String, OptionParser.Arity> accepted() {
        Map<String, OptionParser.Arity> accepted = new LinkedHashMap<>();
        accepted.put(INTERVAL, OptionParser.Arity.ONE);
        accepted.put(BACKEND, OptionParser.Arity.ONE);
        accepted.put(REPLAY, OptionParser.Arity.ONE);
        accepted.put(NO_DNS, OptionParser.Arity.FLAG);
        accepted.put(EXCLUDE, OptionParser.Arity.MANY);
        return accepted;
    }

    /**
     * Reads the capture options and checks that a monitor can be configured from them.
     *
     * @throws UsageException for a bad duration, a missing replay file, a bad exclusion or a
     *     backend that contradicts {@code --replay}
     */
    static CaptureOptions from(OptionParser options, Duration defaultInterval) throws UsageException {
        Duration interval = options.duration(INTERVAL, defaultInterval);
        String backend = options.value(BACKEND).orElse("").trim();
        Path replay = null;
        if (options.has(REPLAY)) {
            replay = Path.of(options.value(REPLAY).orElseThrow());
            if (!Files.isRegularFile(replay) || !Files.isReadable(replay)) {
                throw new UsageException(UsageException.Problem.BAD_VALUE, REPLAY,
                        REPLAY + " needs a readable file; '" + replay + "' is not one");
            }
            if (!backend.isEmpty() && !backend.equals("replay")) {
                throw new UsageException(UsageException.Problem.BAD_VALUE, BACKEND,
                        BACKEND + " " + backend + " contradicts " + REPLAY);
            }
        }
        List<Exclusion> exclusions = new ArrayList<>();
        for (String text : options.values(EXCLUDE)) {
            exclusions.add(Exclusion.parse(text));
        }
        CaptureOptions capture = new CaptureOptions(interval, backend, replay, !options.has(NO_DNS), exclusions);
        try {
            capture.config();
        } catch (InvalidConfigException e) {
            String option = e.setting().endsWith("exclusions") ? EXCLUDE : INTERVAL;
            throw new UsageException(UsageException.Problem.BAD_VALUE, option, e.getMessage());
        }
        return capture;
    }

    /**
     * The monitor configuration these options describe.
     *
     * <p>The tool reads through a polling client at its own pace ({@link PollLoop}). The client
     * expiry is stretched so that a long {@code --interval} does not make the monitor forget it.
     */
    MonitorConfig config() {
        MonitorConfig.Builder config = MonitorConfig.builder()
                .interval(interval)
                .clientExpiry(MIN_CLIENT_EXPIRY.compareTo(interval.multipliedBy(3)) > 0
                        ? MIN_CLIENT_EXPIRY : interval.multipliedBy(3))
                .dnsEnabled(dnsEnabled)
                .backend(backend);
        for (Exclusion exclusion : exclusions) {
            config.excludeDestination(exclusion.cidr(), exclusion.ports().toArray(String[]::new));
        }
        return config.build();
    }

    /**
     * Builds the monitor: over the replay file when one is given, else over the backends found
     * on the class path.
     *
     * @throws io.cnm4j.core.BackendUnavailableException when no backend can run here
     */
    NetworkMonitor open(io.cnm4j.core.Tagger... taggers) {
        NetworkMonitor.Builder builder = NetworkMonitor.builder().config(config()).taggers(taggers);
        if (replay != null) {
            builder.backend(ReplayBackendProvider.fromFile(replay));
        }
        return builder.build();
    }

    /**
     * How long to run when no duration was given: the replay file's intervals, or null (until
     * stopped) when capturing live.
     */
    Duration naturalDuration() {
        return replay == null ? null : interval.multipliedBy(ReplayIntervals.count(replay));
    }
}
