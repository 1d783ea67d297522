package io.cnm4j.tagging;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.FlowIdentity;
import io.cnm4j.core.Tagger;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.tagging.internal.BackgroundWorker;
import io.cnm4j.tagging.internal.PodTags;
import io.cnm4j.tagging.internal.Settings;
import io.cnm4j.tagging.internal.TaggingCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes tags on both ends of a connection: {@value TagKeys#POD_NAME},
 * {@value TagKeys#KUBE_NAMESPACE}, the workload ({@value TagKeys#KUBE_DEPLOYMENT},
 * {@value TagKeys#KUBE_STATEFUL_SET}, {@value TagKeys#KUBE_DAEMON_SET}, {@value TagKeys#KUBE_JOB},
 * {@value TagKeys#KUBE_CRONJOB}, {@value TagKeys#KUBE_WORKLOAD_KIND}, {@value TagKeys#KUBE_WORKLOAD}),
 * {@value TagKeys#KUBE_SERVICE}, pod labels ({@code pod_label.<key>}) and, for the local end,
 * {@value TagKeys#CONTAINER_NAME} and {@value TagKeys#IMAGE_NAME}; the remote end's tags carry the
 * {@value TagKeys#REMOTE_PREFIX} prefix. A remote address that is a service's cluster IP gets
 * {@code remote_kube_service} and {@code remote_kube_namespace}.
 *
 * <p>The local end's pod is found from the flow's container (when a {@link ContainerTagger} is
 * given: container id, else pod UID from the cgroup path), else from the local address; the remote
 * end's from the remote address (pods on the node's network are never matched by address). Pods
 * and services are fetched by the background thread {@code cnm4j-kube-tags} every refresh
 * interval; callers only read the last complete index, never wait. Failed fetches are counted and
 * the previous index kept; pods beyond the capacity are dropped and counted as evictions.
 * Thread-safe; {@link #close()} stops the background thread.
 */
public final class KubernetesTagger implements Tagger, AutoCloseable {
    /** Telemetry: pods left out of the index because it was full. */
    public static final String CACHE_EVICTIONS = "tag_kube_cache_evictions";
    /** Telemetry: failed fetches of pods or services. */
    public static final String LOOKUP_FAILURES = "tag_kube_lookup_failures";
    /** Telemetry: background runs that failed (logged). */
    public static final String WORKER_ERRORS = "tag_kube_worker_errors";

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesTagger.class);

    /** One pod's tags for each end, with its containers' extra tags. */
    private record Entry(Map<String, String> local, Map<String, String> remote, KubePod pod) {
    }

    /** An immutable snapshot of the cluster as last fetched. */
    private record Index(Map<InetAddress, Entry> byIp, Map<String, Entry> byContainer, Map<String, Entry> byUid) {
        static final Index EMPTY = new Index(Map.of(), Map.of(), Map.of());
    }

    private final List<KubernetesSource> sources;
    private final ContainerTagger containers;
    private final int maxPods;
    private final LongAdder lookupFailures = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder refreshes = new LongAdder();
    private final BackgroundWorker worker;
    private volatile Index index = Index.EMPTY;

    private KubernetesTagger(Builder builder) {
        this.sources = List.copyOf(builder.sources);
        this.containers = builder.containers;
        this.maxPods = builder.maxPods;
        this.worker = new BackgroundWorker("kube-tags", builder.refreshInterval, this::refresh);
    }

    /**
     * Starts building a {@link KubernetesTagger}.
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
        Index current = index;
        Map<String, String> local = localTags(current, flow);
        Entry remote = current.byIp.get(flow.key().remoteAddress());
        if (remote == null) {
            return local;
        }
        if (local.isEmpty()) {
            return remote.remote;
        }
        Map<String, String> both = new HashMap<>(local);
        both.putAll(remote.remote);
        return both;
    }

    private Map<String, String> localTags(Index current, FlowIdentity flow) {
        if (containers != null) {
            Optional<ContainerRef> container = containers.container(flow);
            if (container.isPresent()) {
                Entry entry = current.byContainer.get(container.get().id());
                if (entry != null) {
                    return entry.local;
                }
                entry = current.byUid.get(container.get().podUid());
                if (entry != null) {
                    return entry.local;
                }
            }
        }
        Entry byAddress = current.byIp.get(flow.key().localAddress());
        return byAddress == null ? Map.of() : byAddress.local;
    }

    private void refresh() {
        List<KubePod> pods = new ArrayList<>();
        List<KubeService> services = new ArrayList<>();
        boolean failed = false;
        for (KubernetesSource source : sources) {
            try {
                pods.addAll(source.pods());
                services.addAll(source.services());
            } catch (IOException | RuntimeException e) {
                failed = true;
                lookupFailures.increment();
                LOG.warn("cannot fetch Kubernetes pods: {}", e.toString());
            }
        }
        if (failed && pods.isEmpty()) {
            return; // keep the previous index rather than forgetting every pod
        }
        Map<InetAddress, Entry> byIp = new HashMap<>();
        Map<String, Entry> byContainer = new HashMap<>();
        Map<String, Entry> byUid = new HashMap<>();
        int kept = 0;
        for (KubePod pod : pods) {
            if (byUid.containsKey(pod.uid()) && !pod.uid().isEmpty()) {
                continue; // the kubelet and the API server both know local pods
            }
            if (kept == maxPods) {
                evictions.increment();
                continue;
            }
            kept++;
            Map<String, String> local = PodTags.of(pod, services);
            Entry entry = new Entry(local, PodTags.remote(local), pod);
            byUid.put(pod.uid(), entry);
            // one map per container, built here so that the collector never builds one
            pod.containers().forEach((id, c) -> {
                Map<String, String> withContainer = new HashMap<>(local);
                withContainer.put(TagKeys.CONTAINER_NAME, c.name());
                if (!c.image().isEmpty()) {
                    withContainer.put(TagKeys.IMAGE_NAME, c.image());
                }
                byContainer.put(id, new Entry(Map.copyOf(withContainer), entry.remote, pod));
            });
            if (!pod.hostNetwork()) {
                for (String ip : pod.ips()) {
                    address(ip).ifPresent(a -> byIp.put(a, entry));
                }
            }
        }
        // a client connects to the service's virtual IP (translated later by kube-proxy or eBPF): tag it too
        for (KubeService service : services) {
            Map<String, String> remote = Map.of(TagKeys.remote(TagKeys.KUBE_SERVICE), service.name(),
                    TagKeys.remote(TagKeys.KUBE_NAMESPACE), service.namespace());
            for (String ip : service.clusterIps()) {
                address(ip).ifPresent(a -> byIp.putIfAbsent(a, new Entry(Map.of(), remote, null)));
            }
        }
        index = new Index(Map.copyOf(byIp), Map.copyOf(byContainer), Map.copyOf(byUid));
        refreshes.increment();
    }

    private static Optional<InetAddress> address(String literal) {
        try {
            // a literal address only: never a name lookup
            if (!literal.matches("[0-9a-fA-F:.]+")) {
                return Optional.empty();
            }
            return Optional.of(InetAddress.getByName(literal));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Completed refreshes (tests wait on it). */
    long refreshes() {
        return refreshes.sum();
    }

    /** Asks the background thread to fetch again now. */
    public void refreshNow() {
        worker.wake();
    }

    @Override
    public Map<String, Long> telemetry() {
        return Map.of(CACHE_EVICTIONS, evictions.sum(), LOOKUP_FAILURES, lookupFailures.sum(),
                WORKER_ERRORS, worker.errors());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return TaggingCounters.KUBERNETES;
    }

    /** Stops the background thread; closing twice is harmless. The container tagger is not closed. */
    @Override
    public void close() {
        worker.close();
    }

    /** Configures a {@link KubernetesTagger}; not thread-safe. */
    public static final class Builder {
        private final List<KubernetesSource> sources = new ArrayList<>();
        private ContainerTagger containers;
        private Duration refreshInterval = Duration.ofSeconds(30);
        private int maxPods = 50_000;

        private Builder() {
        }

        /**
         * Adds a source of pods (and services); several may be combined, e.g. kubelet and API server.
         *
         * @param value adds a source of pods (and services); several may be combined, e.g
         * @return this builder
         */
        public Builder source(KubernetesSource value) {
            sources.add(Objects.requireNonNull(value, "source"));
            return this;
        }

        /**
         * Finds the local end's pod by container (id or pod UID) through this tagger; it stays owned by the caller.
         *
         * @param value finds the local end's pod by container (id or pod UID) through this tagger; it stays owned by the caller
         * @return this builder
         */
        public Builder containers(ContainerTagger value) {
            containers = Objects.requireNonNull(value, "containers");
            return this;
        }

        /**
         * How often pods are fetched (default 30 s).
         *
         * @param value how often pods are fetched (default 30 s)
         * @return this builder
         */
        public Builder refreshInterval(Duration value) {
            refreshInterval = Objects.requireNonNull(value, "refreshInterval");
            return this;
        }

        /**
         * Most pods indexed (default 50,000); more are counted as evictions.
         *
         * @param value most pods indexed (default 50,000); more are counted as evictions
         * @return this builder
         */
        public Builder maxPods(int value) {
            maxPods = Settings.positive("maxPods", value);
            return this;
        }

        /**
         * Starts the background thread, which fetches at once.
         *
         * @return the new KubernetesTagger
         */
        public KubernetesTagger build() {
            if (sources.isEmpty()) {
                throw new IllegalStateException("a KubernetesTagger needs at least one source");
            }
            return new KubernetesTagger(this);
        }
    }
}
