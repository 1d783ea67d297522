package io.cnm4j.tagging;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Tagger;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.tagging.internal.BackgroundWorker;
import io.cnm4j.tagging.internal.CloudMetadataClient;
import io.cnm4j.tagging.internal.TaggingCounters;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same tags on every connection: {@value TagKeys#HOST}, {@value TagKeys#ZONE},
 * {@value TagKeys#REGION}, {@value TagKeys#CLOUD_PROVIDER} and static user tags.
 *
 * <p>Zone and region come from configuration or, when {@linkplain Builder#cloudMetadata(URI)
 * enabled}, from the instance metadata endpoint (AWS IMDSv2, GCP, Azure), asked by the background thread
 * {@code cnm4j-cloud-metadata} until it answers (every retry interval; each failure counted).
 * Configured values win over discovered ones; static tags win over both. Answers from one
 * immutable map: no allocation per call. Thread-safe; {@link #close()} stops the thread.
 */
public final class HostTagger implements Tagger, AutoCloseable {
    /** Telemetry: metadata endpoint queries that got no answer. */
    public static final String LOOKUP_FAILURES = "tag_host_lookup_failures";
    /** Telemetry: background runs that failed (logged). */
    public static final String WORKER_ERRORS = "tag_host_worker_errors";

    private static final Logger LOG = LoggerFactory.getLogger(HostTagger.class);

    private final Map<String, String> configured;
    private final Map<String, String> statics;
    private final CloudMetadataClient metadata;
    private final LongAdder lookupFailures = new LongAdder();
    private final BackgroundWorker worker;
    private volatile Map<String, String> tags;
    private volatile boolean placed;

    private HostTagger(Builder builder) {
        Map<String, String> base = new LinkedHashMap<>();
        String host = builder.host != null ? builder.host : hostName(builder.procRoot);
        if (!host.isEmpty()) {
            base.put(TagKeys.HOST, host);
        }
        if (builder.zone != null) {
            base.put(TagKeys.ZONE, builder.zone);
        }
        if (builder.region != null) {
            base.put(TagKeys.REGION, builder.region);
        }
        this.configured = Map.copyOf(base);
        this.statics = Map.copyOf(builder.statics);
        this.tags = merge(Map.of());
        this.metadata = builder.metadataEndpoint == null ? null
                : new CloudMetadataClient(builder.metadataEndpoint, builder.metadataTimeout);
        this.worker = metadata == null ? null
                : new BackgroundWorker("cloud-metadata", builder.metadataRetry, this::askMetadata);
    }

    /**
     * Starts building a {@link HostTagger}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static String hostName(Path procRoot) {
        try {
            return Files.readString(procRoot.resolve("sys/kernel/hostname")).strip();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "" : env;
        }
    }

    private Map<String, String> merge(Map<String, String> discovered) {
        Map<String, String> all = new LinkedHashMap<>(discovered);
        all.putAll(configured);
        all.putAll(statics);
        return Map.copyOf(all);
    }

    private void askMetadata() {
        if (placed) {
            return;
        }
        try {
            Optional<CloudMetadataClient.Placement> placement = metadata.placement();
            if (placement.isEmpty()) {
                lookupFailures.increment();
                return;
            }
            Map<String, String> discovered = new LinkedHashMap<>();
            discovered.put(TagKeys.CLOUD_PROVIDER, placement.get().provider());
            if (!placement.get().zone().isEmpty()) {
                discovered.put(TagKeys.ZONE, placement.get().zone());
            }
            if (!placement.get().region().isEmpty()) {
                discovered.put(TagKeys.REGION, placement.get().region());
            }
            tags = merge(discovered);
            placed = true;
            LOG.info("cloud placement: {} zone {} region {}", placement.get().provider(), placement.get().zone(),
                    placement.get().region());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Map<String, String> tags(ConnectionKey key) {
        return tags;
    }

    @Override
    public Map<String, String> tags(FlowIdentity flow) {
        return tags;
    }

    /** {@return the tags as they are now} */
    public Map<String, String> current() {
        return tags;
    }

    @Override
    public Map<String, Long> telemetry() {
        return Map.of(LOOKUP_FAILURES, lookupFailures.sum(), WORKER_ERRORS, worker == null ? 0 : worker.errors());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return TaggingCounters.HOST;
    }

    /** Stops the metadata thread, if any; closing twice is harmless. */
    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
    }

    /** Configures a {@link HostTagger}; not thread-safe. */
    public static final class Builder {
        private Path procRoot = Path.of("/proc");
        private String host;
        private String zone;
        private String region;
        private final Map<String, String> statics = new LinkedHashMap<>();
        private URI metadataEndpoint;
        private Duration metadataTimeout = Duration.ofSeconds(2);
        private Duration metadataRetry = Duration.ofMinutes(5);

        private Builder() {
        }

        /**
         * The host name (default: {@code <procRoot>/sys/kernel/hostname}).
         *
         * @param value the host name (default: {@code <procRoot>/sys/kernel/hostname})
         * @return this builder
         */
        public Builder host(String value) {
            host = Objects.requireNonNull(value, "host");
            return this;
        }

        /**
         * Where procfs is mounted (default {@code /proc}).
         *
         * @param value the procfs root
         * @return this builder
         */
        public Builder procRoot(Path value) {
            procRoot = Objects.requireNonNull(value, "procRoot");
            return this;
        }

        /**
         * A fixed availability zone instead of the cloud metadata's.
         *
         * @param value the zone
         * @return this builder
         */
        public Builder zone(String value) {
            zone = Objects.requireNonNull(value, "zone");
            return this;
        }

        /**
         * A fixed region instead of the cloud metadata's.
         *
         * @param value the region
         * @return this builder
         */
        public Builder region(String value) {
            region = Objects.requireNonNull(value, "region");
            return this;
        }

        /**
         * A static user tag on every connection.
         *
         * @param key the tag key
         * @param value the tag value
         * @return this builder
         */
        public Builder tag(String key, String value) {
            statics.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Ask zone and region of the metadata endpoint at this base ({@code http://169.254.169.254}).
         *
         * @param base ask zone and region of the metadata endpoint at this base ({@code http://169.254.169.254})
         * @return this builder
         */
        public Builder cloudMetadata(URI base) {
            metadataEndpoint = Objects.requireNonNull(base, "base");
            return this;
        }

        /**
         * Timeout of one metadata request (default 2 s).
         *
         * @param value timeout of one metadata request (default 2 s)
         * @return this builder
         */
        public Builder metadataTimeout(Duration value) {
            metadataTimeout = Objects.requireNonNull(value, "metadataTimeout");
            return this;
        }

        /**
         * Delay between metadata attempts until one answers (default 5 min).
         *
         * @param value delay between metadata attempts until one answers (default 5 min)
         * @return this builder
         */
        public Builder metadataRetry(Duration value) {
            metadataRetry = Objects.requireNonNull(value, "metadataRetry");
            return this;
        }

        /**
         * Builds the HostTagger from the settings made so far.
         *
         * @return the new HostTagger
         */
        public HostTagger build() {
            return new HostTagger(this);
        }
    }
}
