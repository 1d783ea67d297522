package io.cnm4j.tagging;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes service and the pod labels it selects. Immutable.
 *
 * @param name service name
 * @param namespace service namespace
 * @param selector label selector; a service without one selects no pod
 * @param clusterIps virtual IPs of the service ({@code spec.clusterIPs}, else {@code spec.clusterIP};
 *                   none for a headless service)
 */
public record KubeService(String name, String namespace, Map<String, String> selector, List<String> clusterIps) {
    /**
     * Creates an instance from its components.
     */
    public KubeService {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        selector = Map.copyOf(selector);
        clusterIps = List.copyOf(clusterIps);
    }

    /**
     * Whether the service selects a pod: same namespace, every selector label present with its value.
     *
     * @param pod a pod
     * @return whether the service selects it
     */
    public boolean selects(KubePod pod) {
        return !selector.isEmpty() && namespace.equals(pod.namespace())
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(pod.labels().get(e.getKey())));
    }
}
