package io.cnm4j.tagging;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the tagger keeps of one Kubernetes pod. Immutable.
 *
 * @param name pod name
 * @param namespace pod namespace
 * @param uid pod UID
 * @param ips pod IPs ({@code status.podIPs}, else {@code status.podIP})
 * @param hostNetwork whether the pod uses the node's network (its IPs are the node's: not used to tag by IP)
 * @param labels pod labels
 * @param ownerKind kind of the controlling owner reference ("ReplicaSet", "StatefulSet"…), "" when none
 * @param ownerName name of the controlling owner reference, "" when none
 * @param containers containers by id (runtime prefix such as {@code containerd://} removed)
 */
public record KubePod(
        String name, String namespace, String uid, List<String> ips, boolean hostNetwork, Map<String, String> labels,
        String ownerKind, String ownerName, Map<String, KubeContainer> containers) {

    /**
     * Creates an instance from its components.
     */
    public KubePod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(ownerKind, "ownerKind");
        Objects.requireNonNull(ownerName, "ownerName");
        ips = List.copyOf(ips);
        labels = Map.copyOf(labels);
        containers = Map.copyOf(containers);
    }

    /**
     * A container of a pod.
     *
     * @param name container name in the pod spec
     * @param image image reference
     */
    public record KubeContainer(String name, String image) {
        /**
         * Creates an instance from its components.
         */
        public KubeContainer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(image, "image");
        }
    }
}
