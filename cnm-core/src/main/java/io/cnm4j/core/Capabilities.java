package io.cnm4j.core;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the running monitor can do: the backend it chose, each feature on or off with its
 * reason, and why every other backend was refused.
 *
 * @param backend name of the backend in use
 * @param features every {@link Feature} with its status
 * @param refusedBackends other backends by name, with the reason each was not used
 * @param provenance what the backend loaded into the process and the kernel, by name (for the eBPF
 *                   backend: {@code libbpf_path}, {@code libbpf_version}, {@code libbpf_sha256},
 *                   {@code bpf_object_sha256})
 */
public record Capabilities(String backend, Map<Feature, FeatureStatus> features, Map<String, String> refusedBackends,
        Map<String, String> provenance) {
    /**
     * Creates an instance from its components.
     */
    public Capabilities {
        Objects.requireNonNull(backend, "backend");
        provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        EnumMap<Feature, FeatureStatus> complete = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.values()) {
            complete.put(feature, features.getOrDefault(feature, FeatureStatus.off("not provided by " + backend)));
        }
        features = java.util.Collections.unmodifiableMap(complete);
        refusedBackends = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(refusedBackends));
    }

    /**
     * Capabilities of a backend that reports no provenance.
     *
     * @param backend the backend's name
     * @param features the status of each feature; missing ones are reported off
     * @param refusedBackends backends that were tried first and refused, with their reasons
     */
    public Capabilities(String backend, Map<Feature, FeatureStatus> features, Map<String, String> refusedBackends) {
        this(backend, features, refusedBackends, Map.of());
    }

    /**
     * True when the feature is on.
     *
     * @param feature a feature
     * @return whether it is on
     */
    public boolean has(Feature feature) {
        return features.get(feature).enabled();
    }

    /** {@return a readable multi-line report, as printed by {@code cnm caps}} */
    public String report() {
        StringBuilder out = new StringBuilder("backend: ").append(backend).append('\n');
        features.forEach((feature, status) -> out.append(String.format("  %-18s %-4s %s%n",
                feature.name().toLowerCase(java.util.Locale.ROOT), status.enabled() ? "on" : "off", status.reason())));
        refusedBackends.forEach((name, why) -> out.append("  refused backend ").append(name).append(": ")
                .append(why).append('\n'));
        provenance.forEach((name, value) -> out.append("  loaded ").append(name).append(": ").append(value)
                .append('\n'));
        return out.toString();
    }
}
