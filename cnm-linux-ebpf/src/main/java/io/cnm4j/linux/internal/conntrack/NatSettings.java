package io.cnm4j.linux.internal.conntrack;

/**
 * Bounds of NAT resolution.
 *
 * @param cacheEntries translated entries kept per namespace (Datadog's default: 131,072)
 * @param eventsPerSecond new-entry events processed per second and namespace before sampling (500)
 * @param maxNamespaces network namespaces watched besides the monitor's own (32)
 * @param eventBufferBytes kernel receive buffer of each event socket (8 MiB): what a burst of
 *        events may fill before the kernel drops them (counted, then recovered by a dump)
 */
record NatSettings(int cacheEntries, int eventsPerSecond, int maxNamespaces, int eventBufferBytes) {
    public static final NatSettings DEFAULTS = new NatSettings(131_072, 500, 32, 8 * 1024 * 1024);

    public NatSettings {
        if (cacheEntries < 1 || eventsPerSecond < 1 || maxNamespaces < 0 || eventBufferBytes < 0) {
            throw new IllegalArgumentException("invalid NAT bounds: " + cacheEntries + ", " + eventsPerSecond
                    + ", " + maxNamespaces + ", " + eventBufferBytes);
        }
    }
}
