package io.cnm4j.linux.internal.conntrack;

/**
 * Bounds of NAT resolution.
 *
 * @param cacheEntries translated entries kept per namespace (Datadog's default: 131,072)
 * @param eventsPerSecond new-entry events processed per second and namespace before sampling (500)
 * @param maxNamespaces network namespaces watched besides the monitor's own (32)
 */
public record NatSettings(int cacheEntries, int eventsPerSecond, int maxNamespaces) {
    public static final NatSettings DEFAULTS = new NatSettings(131_072, 500, 32);

    public NatSettings {
        if (cacheEntries < 1 || eventsPerSecond < 1 || maxNamespaces < 0) {
            throw new IllegalArgumentException("invalid NAT bounds: " + cacheEntries + ", " + eventsPerSecond
                    + ", " + maxNamespaces);
        }
    }
}
