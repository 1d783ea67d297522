package io.cnm4j.tagging;

import java.util.Objects;

/**
 * Name and image of a container, as its runtime reports them. Immutable.
 *
 * @param name container name without Docker's leading '/'
 * @param image image reference the container was created from ("nginx:1.25")
 */
public record ContainerMetadata(String name, String image) {
    /**
     * Creates an instance from its components.
     */
    public ContainerMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
    }
}
