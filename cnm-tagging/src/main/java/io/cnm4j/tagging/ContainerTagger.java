package io.cnm4j.tagging;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Tagger;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.tagging.internal.BackgroundWorker;
import io.cnm4j.tagging.internal.BoundedCache;
import io.cnm4j.tagging.internal.CgroupIndex;
import io.cnm4j.tagging.internal.ProcFiles;
import io.cnm4j.tagging.internal.Settings;
import io.cnm4j.tagging.internal.TaggingCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container tags: {@value TagKeys#CONTAINER_ID}, {@value TagKeys#CONTAINER_RUNTIME}, and
 * {@value TagKeys#CONTAINER_NAME} / {@value TagKeys#IMAGE_NAME} when a runtime client is
 * configured.
 *
 * <p>The container is found from the cgroup the kernel captured with the flow
 * ({@link FlowIdentity#cgroupId()}): the id is looked up in an index of the cgroup2 mount
 * (cgroup id = inode of the cgroup directory) and the path parsed by {@link CgroupPaths}. A cgroup
 * missing from the index (created since the last walk) makes the background thread
 * {@code cnm4j-container-tags} walk again; meanwhile, and on hosts without cgroup v2, the path is
 * read from {@code /proc/<pid>/cgroup} while the process lives. Names and images are asked of the
 * runtime on the same background thread, never on the caller's. Results are cached per cgroup,
 * per PID (re-checked each second) and per container, bounded; evictions and failed lookups are
 * counted. Thread-safe; {@link #close()} stops the background thread.
 */
public final class ContainerTagger implements Tagger, AutoCloseable {
    /** Telemetry: cache entries (cgroups, PIDs, containers) evicted to stay within capacity. */
    public static final String CACHE_EVICTIONS = "tag_container_cache_evictions";
    /** Telemetry: cgroup ids not in the index, unreadable {@code /proc/<pid>/cgroup}, failed runtime lookups. */
    public static final String LOOKUP_FAILURES = "tag_container_lookup_failures";
    /** Telemetry: background runs that failed (logged). */
    public static final String WORKER_ERRORS = "tag_container_worker_errors";

    private static final Logger LOG = LoggerFactory.getLogger(ContainerTagger.class);
    private static final long PID_RECHECK_NANOS = 1_000_000_000L;
    private static final long MIN_WALK_INTERVAL_NANOS = 1_000_000_000L;
    /** Walks the collector thread may make itself, for flows whose process is already gone. */
    private static final long COLLECTOR_WALK_INTERVAL_NANOS = 250_000_000L;
    private static final int MAX_PENDING_METADATA = 1024;

    private record PidEntry(Optional<ContainerRef> container, long checkedAtNanos) {
    }

    private final ProcFiles proc;
    private final CgroupIndex index;
    private final ContainerRuntimeClient runtime;
    private final BoundedCache<Long, Optional<ContainerRef>> byCgroup;
    private final BoundedCache<Integer, PidEntry> byPid;
    private final BoundedCache<String, Map<String, String>> byContainer;
    private final Set<String> pendingMetadata = ConcurrentHashMap.newKeySet();
    private final LongAdder lookupFailures = new LongAdder();
    private final BackgroundWorker worker;
    private final LongAdder walks = new LongAdder();
    private volatile boolean walkRequested;
    private volatile long lastWalkNanos;

    private ContainerTagger(Builder builder) {
        this.proc = new ProcFiles(builder.procRoot);
        Optional<Path> root = builder.cgroupRoot != null ? Optional.of(builder.cgroupRoot)
                : CgroupIndex.cgroup2Mount(builder.procRoot.resolve("mounts"));
        this.index = root.map(r -> new CgroupIndex(r, builder.maxCgroups)).orElse(null);
        this.runtime = builder.runtime;
        this.byCgroup = new BoundedCache<>(builder.cacheCapacity);
        this.byPid = new BoundedCache<>(builder.cacheCapacity);
        this.byContainer = new BoundedCache<>(builder.cacheCapacity);
        walk();
        this.worker = new BackgroundWorker("container-tags", builder.refreshInterval, this::backgroundRun);
    }

    /**
     * A tagger for this host: cgroup2 mount from {@code /proc/mounts}, the Docker socket when it exists.
     *
     * @return the new ContainerTagger
     */
    public static ContainerTagger create() {
        Builder builder = builder();
        Path docker = Path.of("/var/run/docker.sock");
        if (Files.exists(docker)) {
            builder.runtime(ContainerRuntimeClient.dockerSocket(docker, Duration.ofSeconds(2)));
        }
        return builder.build();
    }

    /**
     * Starts building a {@link ContainerTagger}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Map<String, String> tags(ConnectionKey key) {
        return tags(FlowIdentity.of(key));
    }

    @Override
    public Map<String, String> tags(FlowIdentity flow) {
        return container(flow).map(this::tagsOf).orElse(Map.of());
    }

    /**
     * The container of a flow's process, from its cgroup id or, failing that, its PID.
     *
     * @param flow a flow with its process facts
     * @return the container, or empty
     */
    public Optional<ContainerRef> container(FlowIdentity flow) {
        if (flow.cgroupId() != 0 && index != null) {
            Optional<ContainerRef> known = byCgroup.get(flow.cgroupId());
            if (known != null) {
                return known;
            }
            Optional<String> path = index.path(flow.cgroupId());
            if (path.isPresent()) {
                Optional<ContainerRef> ref = CgroupPaths.container(path.get());
                byCgroup.put(flow.cgroupId(), ref);
                return ref;
            }
            // a cgroup newer than the last walk: walk again in the background, use the PID meanwhile
            lookupFailures.increment();
            Optional<ContainerRef> byPid = flow.pid() == 0 ? Optional.empty() : containerOfPid(flow.pid());
            if (byPid.isPresent()) {
                requestWalk();
                return byPid;
            }
            return containerAfterWalk(flow.cgroupId());
        }
        return flow.pid() == 0 ? Optional.empty() : containerOfPid(flow.pid());
    }

    /**
     * A short-lived process in a new container is gone before its first flow is tagged: its cgroup
     * outlives it, so the index is walked here, at most four times a second (a local directory
     * walk, bounded by the index size), and the cgroup looked up again.
     */
    private Optional<ContainerRef> containerAfterWalk(long cgroupId) {
        if (System.nanoTime() - lastWalkNanos < COLLECTOR_WALK_INTERVAL_NANOS) {
            requestWalk();
            return Optional.empty();
        }
        walk();
        Optional<String> path = index.path(cgroupId);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Optional<ContainerRef> ref = CgroupPaths.container(path.get());
        byCgroup.put(cgroupId, ref);
        return ref;
    }

    private Optional<ContainerRef> containerOfPid(int pid) {
        long now = System.nanoTime();
        PidEntry entry = byPid.get(pid);
        if (entry != null && now - entry.checkedAtNanos < PID_RECHECK_NANOS) {
            return entry.container;
        }
        java.util.List<String> paths = proc.cgroupPaths(pid);
        if (paths.isEmpty()) {
            lookupFailures.increment();
            // an exited process keeps the container it had
            Optional<ContainerRef> last = entry == null ? Optional.empty() : entry.container;
            byPid.put(pid, new PidEntry(last, now));
            return last;
        }
        Optional<ContainerRef> found = Optional.empty();
        for (String path : paths) {
            found = CgroupPaths.container(path);
            if (found.isPresent()) {
                break;
            }
        }
        byPid.put(pid, new PidEntry(found, now));
        return found;
    }

    private Map<String, String> tagsOf(ContainerRef ref) {
        Map<String, String> tags = byContainer.get(ref.id());
        if (tags != null) {
            return tags;
        }
        tags = baseTags(ref, null);
        byContainer.put(ref.id(), tags);
        if (runtime != null && pendingMetadata.size() < MAX_PENDING_METADATA && pendingMetadata.add(ref.id())) {
            worker.wake();
        }
        return tags;
    }

    private static Map<String, String> baseTags(ContainerRef ref, ContainerMetadata metadata) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TagKeys.CONTAINER_ID, ref.id());
        if (!ref.runtime().isEmpty()) {
            tags.put(TagKeys.CONTAINER_RUNTIME, ref.runtime());
        }
        if (metadata != null) {
            if (!metadata.name().isEmpty()) {
                tags.put(TagKeys.CONTAINER_NAME, metadata.name());
            }
            if (!metadata.image().isEmpty()) {
                tags.put(TagKeys.IMAGE_NAME, metadata.image());
            }
        }
        return Map.copyOf(tags);
    }

    private void requestWalk() {
        if (!walkRequested) {
            walkRequested = true;
            if (worker != null) {
                worker.wake();
            }
        }
    }

    private void backgroundRun() {
        if (walkRequested) {
            // misses come in bursts (a new container opens many connections): one walk per second at most
            long wait = MIN_WALK_INTERVAL_NANOS - (System.nanoTime() - lastWalkNanos);
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            walk();
        }
        for (String id : pendingMetadata) {
            fetchMetadata(id);
            pendingMetadata.remove(id);
        }
    }

    private void walk() {
        walkRequested = false;
        lastWalkNanos = System.nanoTime();
        if (index == null) {
            return;
        }
        try {
            index.refresh();
            walks.increment();
            if (index.truncated()) {
                LOG.warn("cgroup index stopped at {} cgroups under {}", index.size(), index.root());
            }
        } catch (IOException | RuntimeException e) {
            lookupFailures.increment();
            LOG.warn("cannot index cgroups under {}: {}", index.root(), e.toString());
        }
    }

    private void fetchMetadata(String id) {
        Map<String, String> current = byContainer.get(id);
        try {
            Optional<ContainerMetadata> metadata = runtime.lookup(id);
            if (metadata.isEmpty()) {
                lookupFailures.increment();
                return;
            }
            ContainerRef ref = new ContainerRef(id, current == null ? "" : current.getOrDefault(TagKeys.CONTAINER_RUNTIME, ""), "");
            byContainer.put(id, baseTags(ref, metadata.get()));
        } catch (IOException e) {
            lookupFailures.increment();
            LOG.debug("runtime lookup of container {} failed: {}", id, e.toString());
        }
    }

    /** Completed cgroup walks, the first one included (tests wait on it). */
    long walks() {
        return walks.sum();
    }

    @Override
    public Map<String, Long> telemetry() {
        return Map.of(CACHE_EVICTIONS, byCgroup.evictions() + byPid.evictions() + byContainer.evictions(),
                LOOKUP_FAILURES, lookupFailures.sum(),
                WORKER_ERRORS, worker.errors());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return TaggingCounters.CONTAINER;
    }

    /** Stops the background thread; closing twice is harmless. */
    @Override
    public void close() {
        worker.close();
    }

    /** Configures a {@link ContainerTagger}; not thread-safe. */
    public static final class Builder {
        private Path procRoot = Path.of("/proc");
        private Path cgroupRoot;
        private ContainerRuntimeClient runtime;
        private int cacheCapacity = 4096;
        private int maxCgroups = 100_000;
        private Duration refreshInterval = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * Where procfs is mounted (default {@code /proc}); its {@code mounts} file locates the cgroup2 mount.
         *
         * @param value where procfs is mounted (default {@code /proc}); its {@code mounts} file locates the cgroup2 mount
         * @return this builder
         */
        public Builder procRoot(Path value) {
            procRoot = Objects.requireNonNull(value, "procRoot");
            return this;
        }

        /**
         * The cgroup2 mount to index, instead of the one found in {@code <procRoot>/mounts}.
         *
         * @param value the cgroup2 mount to index, instead of the one found in {@code <procRoot>/mounts}
         * @return this builder
         */
        public Builder cgroupRoot(Path value) {
            cgroupRoot = Objects.requireNonNull(value, "cgroupRoot");
            return this;
        }

        /**
         * Where to ask container names and images (default none).
         *
         * @param value where to ask container names and images (default none)
         * @return this builder
         */
        public Builder runtime(ContainerRuntimeClient value) {
            runtime = Objects.requireNonNull(value, "runtime");
            return this;
        }

        /**
         * Entries per cache (cgroups, PIDs, containers), default 4096.
         *
         * @param value entries per cache (cgroups, PIDs, containers), default 4096
         * @return this builder
         */
        public Builder cacheCapacity(int value) {
            cacheCapacity = Settings.positive("cacheCapacity", value);
            return this;
        }

        /**
         * Most cgroups indexed in one walk (default 100,000).
         *
         * @param value most cgroups indexed in one walk (default 100,000)
         * @return this builder
         */
        public Builder maxCgroups(int value) {
            maxCgroups = Settings.positive("maxCgroups", value);
            return this;
        }

        /**
         * How often the background thread runs without being asked (default 60 s).
         *
         * @param value how often the background thread runs without being asked (default 60 s)
         * @return this builder
         */
        public Builder refreshInterval(Duration value) {
            refreshInterval = Objects.requireNonNull(value, "refreshInterval");
            return this;
        }

        /**
         * Indexes the cgroups once and starts the background thread.
         *
         * @return the new ContainerTagger
         */
        public ContainerTagger build() {
            return new ContainerTagger(this);
        }
    }
}
