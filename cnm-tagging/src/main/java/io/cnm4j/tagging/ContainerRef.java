package io.cnm4j.tagging;

import java.util.Objects;

/**
 * A container recognised in a cgroup path. Immutable.
 *
 * @param id the container id as the runtime reports it (64 hex digits for Docker, containerd,
 *           CRI-O and Podman; {@code <task>-<n>} on ECS Fargate)
 * @param runtime {@code docker}, {@code containerd}, {@code cri-o}, {@code podman},
 *                {@code ecs-fargate}, or "" when the path does not say
 * @param podUid the Kubernetes pod UID from a {@code kubepods} path (dashes restored), "" outside Kubernetes
 */
public record ContainerRef(String id, String runtime, String podUid) {
    /**
     * Creates an instance from its components.
     */
    public ContainerRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(podUid, "podUid");
    }
}
