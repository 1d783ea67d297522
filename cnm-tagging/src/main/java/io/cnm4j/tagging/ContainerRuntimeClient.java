package io.cnm4j.tagging;

import io.cnm4j.tagging.internal.DockerEngineClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks a container runtime for a container's name and image. Called only from the
 * {@link ContainerTagger}'s background thread, so an implementation may block (bounded by its
 * own timeout).
 */
@FunctionalInterface
public interface ContainerRuntimeClient {
    /**
     * The metadata of a container; empty when the runtime does not know the id.
     *
     * @throws IOException when the runtime cannot be reached or answers garbage
     *
     * @param containerId the full container id
     * @return the metadata, or empty
     */
    Optional<ContainerMetadata> lookup(String containerId) throws IOException;

    /**
     * The Docker Engine API on a unix socket ({@code /var/run/docker.sock}; Podman's
     * {@code /run/podman/podman.sock} speaks the same API), {@code GET /containers/<id>/json}.
     *
     * @param socket the socket's path
     * @param timeout timeout of each request
     * @return the client
     */
    static ContainerRuntimeClient dockerSocket(Path socket, Duration timeout) {
        return new DockerEngineClient(socket, timeout);
    }
}
