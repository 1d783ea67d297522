package io.cnm4j.tagging.internal;

import io.cnm4j.core.TelemetryCounter;
import java.util.List;

/**
 * The telemetry counters of the taggers, declared once with their kind and meaning. Lost tags are
 * health, not loss: the connection itself is delivered, with fewer tags.
 */
public final class TaggingCounters {
    /** {@code ProcessTagger}. */
    public static final List<TelemetryCounter> PROCESS = List.of(
            TelemetryCounter.health("tag_process_cache_evictions", "processes evicted from the full process tag cache"),
            TelemetryCounter.health("tag_process_lookup_failures",
                    "process lookups in /proc that failed (the process had exited, or was not readable)"));
    /** {@code HostTagger}. */
    public static final List<TelemetryCounter> HOST = List.of(
            TelemetryCounter.health("tag_host_lookup_failures", "cloud metadata lookups that found no placement"),
            TelemetryCounter.health("tag_host_worker_errors",
                    "exceptions of the cloud metadata thread (cnm4j-cloud-metadata)"));
    /** {@code ContainerTagger}. */
    public static final List<TelemetryCounter> CONTAINER = List.of(
            TelemetryCounter.health("tag_container_cache_evictions", "entries evicted from the full container caches"),
            TelemetryCounter.health("tag_container_lookup_failures",
                    "container lookups that failed (cgroup walk, /proc or the runtime socket)"),
            TelemetryCounter.health("tag_container_worker_errors",
                    "exceptions of the container thread (cnm4j-container-tags)"));
    /** {@code KubernetesTagger}. */
    public static final List<TelemetryCounter> KUBERNETES = List.of(
            TelemetryCounter.health("tag_kube_cache_evictions", "pods left out of the pod cache because it held its maximum"),
            TelemetryCounter.health("tag_kube_lookup_failures", "kubelet or API server requests that failed"),
            TelemetryCounter.health("tag_kube_worker_errors", "exceptions of the Kubernetes thread (cnm4j-kube-tags)"));

    private TaggingCounters() {
    }
}
