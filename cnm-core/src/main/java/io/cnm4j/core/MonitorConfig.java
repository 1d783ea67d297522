package io.cnm4j.core;

import io.cnm4j.core.internal.ConnectionFilter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every setting of a {@link NetworkMonitor}. Immutable; built with {@link #builder()}, which
 * validates each value and throws {@link InvalidConfigException} naming the setting and the
 * value. The setting names used in messages are the ones of the README's configuration table.
 */
public final class MonitorConfig {
    private final boolean enabled;
    private final boolean collectTcp;
    private final boolean collectUdp;
    private final boolean collectIpv6;
    private final Set<Errno> trackedFailures;
    private final boolean dnsEnabled;
    private final Duration dnsTimeout;
    private final Set<Integer> dnsPorts;
    private final boolean dnsCollectDomains;
    private final Set<Integer> dnsQueryTypes;
    private final boolean dnsCollectLocal;
    private final int maxTrackedConnections;
    private final int closedBufferSize;
    private final int maxClientConnections;
    private final int maxDnsStats;
    private final int maxPendingDnsQueries;
    private final int udpPeerLimit;
    private final int reverseDnsCacheSize;
    private final Duration clientExpiry;
    private final Map<String, List<String>> sourceExclusions;
    private final Map<String, List<String>> destinationExclusions;
    private final boolean conntrackEnabled;
    private final Duration interval;
    private final int queueCapacity;
    private final String backend;

    private MonitorConfig(Builder b) {
        enabled = b.enabled;
        collectTcp = b.collectTcp;
        collectUdp = b.collectUdp;
        collectIpv6 = b.collectIpv6;
        trackedFailures = Set.copyOf(b.trackedFailures);
        dnsEnabled = b.dnsEnabled;
        dnsTimeout = b.dnsTimeout;
        dnsPorts = Set.copyOf(new TreeSet<>(b.dnsPorts));
        dnsCollectDomains = b.dnsCollectDomains;
        dnsQueryTypes = Set.copyOf(b.dnsQueryTypes);
        dnsCollectLocal = b.dnsCollectLocal;
        maxTrackedConnections = b.maxTrackedConnections;
        closedBufferSize = b.closedBufferSize > 0 ? b.closedBufferSize : b.maxTrackedConnections;
        maxClientConnections = b.maxClientConnections;
        maxDnsStats = b.maxDnsStats;
        maxPendingDnsQueries = b.maxPendingDnsQueries;
        udpPeerLimit = b.udpPeerLimit;
        reverseDnsCacheSize = b.reverseDnsCacheSize;
        clientExpiry = b.clientExpiry;
        sourceExclusions = copy(b.sourceExclusions);
        destinationExclusions = copy(b.destinationExclusions);
        conntrackEnabled = b.conntrackEnabled;
        interval = b.interval;
        queueCapacity = b.queueCapacity;
        backend = b.backend;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> spec) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        spec.forEach((cidr, ports) -> copy.put(cidr, List.copyOf(ports)));
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** {@return the defaults of every setting} */
    public static MonitorConfig defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this configuration's values.
     *
     * @return this builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.collectTcp = collectTcp;
        b.collectUdp = collectUdp;
        b.collectIpv6 = collectIpv6;
        b.trackedFailures = EnumSet.noneOf(Errno.class);
        b.trackedFailures.addAll(trackedFailures);
        b.dnsEnabled = dnsEnabled;
        b.dnsTimeout = dnsTimeout;
        b.dnsPorts = new TreeSet<>(dnsPorts);
        b.dnsCollectDomains = dnsCollectDomains;
        b.dnsQueryTypes = new TreeSet<>(dnsQueryTypes);
        b.dnsCollectLocal = dnsCollectLocal;
        b.maxTrackedConnections = maxTrackedConnections;
        b.closedBufferSize = closedBufferSize;
        b.maxClientConnections = maxClientConnections;
        b.maxDnsStats = maxDnsStats;
        b.maxPendingDnsQueries = maxPendingDnsQueries;
        b.udpPeerLimit = udpPeerLimit;
        b.reverseDnsCacheSize = reverseDnsCacheSize;
        b.clientExpiry = clientExpiry;
        b.sourceExclusions = new LinkedHashMap<>(sourceExclusions);
        b.destinationExclusions = new LinkedHashMap<>(destinationExclusions);
        b.conntrackEnabled = conntrackEnabled;
        b.interval = interval;
        b.queueCapacity = queueCapacity;
        b.backend = backend;
        return b;
    }

    /** {@return whether capture runs at all ({@code enabled}, default true)} */
    public boolean enabled() { return enabled; }

    /** {@return whether to collect TCP connections ({@code collect_tcp}, default true)} */
    public boolean collectTcp() { return collectTcp; }

    /** {@return whether to collect UDP flows ({@code collect_udp}, default true)} */
    public boolean collectUdp() { return collectUdp; }

    /** {@return whether to collect IPv6 connections ({@code collect_ipv6}, default true)} */
    public boolean collectIpv6() { return collectIpv6; }

    /** {@return whether failed connections are reported at all ({@code tracked_failures} not empty)} */
    public boolean trackFailedConnections() { return !trackedFailures.isEmpty(); }

    /** {@return the errnos of failed connections that are reported ({@code tracked_failures}, default all)} */
    public Set<Errno> trackedFailures() { return trackedFailures; }

    /** {@return whether DNS statistics are on ({@code dns_enabled}, default true)} */
    public boolean dnsEnabled() { return dnsEnabled; }

    /** {@return how long a query may stay unanswered before it is a timeout ({@code dns_timeout}, default 15 s)} */
    public Duration dnsTimeout() { return dnsTimeout; }

    /** {@return server ports whose traffic is parsed as DNS ({@code dns_ports}, default 53)} */
    public Set<Integer> dnsPorts() { return dnsPorts; }

    /** {@return whether DNS statistics are keyed by domain ({@code dns_collect_domains}, default true)} */
    public boolean dnsCollectDomains() { return dnsCollectDomains; }

    /** {@return query types recorded ({@code dns_query_types}); empty means all (the default)} */
    public Set<Integer> dnsQueryTypes() { return dnsQueryTypes; }

    /** {@return whether to also capture DNS to a resolver on loopback ({@code dns_collect_local}, default false)} */
    public boolean dnsCollectLocal() { return dnsCollectLocal; }

    /** {@return connections tracked in the kernel and in the state engine ({@code max_tracked_connections}, 65,536)} */
    public int maxTrackedConnections() { return maxTrackedConnections; }

    /** {@return closed connections buffered per consumer ({@code closed_buffer_size}, default = max tracked)} */
    public int closedBufferSize() { return closedBufferSize; }

    /** {@return connections whose delta state one consumer keeps ({@code max_client_connections}, 75,000)} */
    public int maxClientConnections() { return maxClientConnections; }

    /** {@return DNS statistics entries kept per interval and per consumer ({@code max_dns_stats}, 20,000)} */
    public int maxDnsStats() { return maxDnsStats; }

    /**
     * Peers one UDP socket gets flows for ({@code udp_peer_limit}, 1,024); the traffic of its
     * further peers is summed into one overflow flow of that socket, whose remote end is unspecified.
     *
     * @return the peer limit
     */
    public int udpPeerLimit() { return udpPeerLimit; }

    /** {@return DNS queries awaiting their response ({@code max_pending_dns_queries}, 10,000)} */
    public int maxPendingDnsQueries() { return maxPendingDnsQueries; }

    /** {@return addresses in the reverse DNS cache ({@code reverse_dns_cache_size}, 100,000)} */
    public int reverseDnsCacheSize() { return reverseDnsCacheSize; }

    /** {@return how long a polling client may stay idle before it is forgotten ({@code client_expiry}, 2 min)} */
    public Duration clientExpiry() { return clientExpiry; }

    /** {@return excluded local endpoints: CIDR to port entries ({@code source_exclusions})} */
    public Map<String, List<String>> sourceExclusions() { return sourceExclusions; }

    /** {@return excluded remote endpoints: CIDR to port entries ({@code destination_exclusions})} */
    public Map<String, List<String>> destinationExclusions() { return destinationExclusions; }

    /** {@return whether to resolve NAT through conntrack ({@code conntrack_enabled}, default true)} */
    public boolean conntrackEnabled() { return conntrackEnabled; }

    /** {@return the listener delivery period ({@code interval}, default 10 s)} */
    public Duration interval() { return interval; }

    /** {@return the capacity of the ingestion queue between backend and state engine ({@code queue_capacity}, 65,536)} */
    public int queueCapacity() { return queueCapacity; }

    /** {@return the preferred backend by name ({@code backend}); empty picks the best available} */
    public String backend() { return backend; }

    @Override
    public String toString() {
        return "MonitorConfig[interval=" + interval + ", backend=" + (backend.isEmpty() ? "auto" : backend)
                + ", maxTrackedConnections=" + maxTrackedConnections + ", dnsEnabled=" + dnsEnabled + "]";
    }

    /** Builds a validated {@link MonitorConfig}; not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private boolean collectTcp = true;
        private boolean collectUdp = true;
        private boolean collectIpv6 = true;
        private EnumSet<Errno> trackedFailures = EnumSet.allOf(Errno.class);
        private boolean dnsEnabled = true;
        private Duration dnsTimeout = Duration.ofSeconds(15);
        private Set<Integer> dnsPorts = new TreeSet<>(Set.of(53));
        private boolean dnsCollectDomains = true;
        private Set<Integer> dnsQueryTypes = new TreeSet<>();
        private boolean dnsCollectLocal;
        private int maxTrackedConnections = 65_536;
        private int closedBufferSize;
        private int maxClientConnections = 75_000;
        private int maxDnsStats = 20_000;
        private int maxPendingDnsQueries = 10_000;
        private int udpPeerLimit = 1_024;
        private int reverseDnsCacheSize = 100_000;
        private Duration clientExpiry = Duration.ofMinutes(2);
        private Map<String, List<String>> sourceExclusions = new LinkedHashMap<>();
        private Map<String, List<String>> destinationExclusions = new LinkedHashMap<>();
        private boolean conntrackEnabled = true;
        private Duration interval = Duration.ofSeconds(10);
        private int queueCapacity = 65_536;
        private String backend = "";

        private Builder() {
        }

        /**
         * Sets {@link MonitorConfig#enabled()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder enabled(boolean value) { enabled = value; return this; }

        /**
         * Sets {@link MonitorConfig#collectTcp()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder collectTcp(boolean value) { collectTcp = value; return this; }

        /**
         * Sets {@link MonitorConfig#collectUdp()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder collectUdp(boolean value) { collectUdp = value; return this; }

        /**
         * Sets {@link MonitorConfig#collectIpv6()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder collectIpv6(boolean value) { collectIpv6 = value; return this; }

        /**
         * Turns failed-connection reporting on (all errnos) or off.
         *
         * @param value turns failed-connection reporting on (all errnos) or off
         * @return this builder
         */
        public Builder trackFailedConnections(boolean value) {
            trackedFailures = value ? EnumSet.allOf(Errno.class) : EnumSet.noneOf(Errno.class);
            return this;
        }

        /**
         * Reports only failures with these errno names, e.g. {@code "ECONNREFUSED"}.
         *
         * @param errnoNames reports only failures with these errno names, e.g
         * @return this builder
         */
        public Builder trackedFailures(String... errnoNames) {
            EnumSet<Errno> chosen = EnumSet.noneOf(Errno.class);
            for (String name : errnoNames) {
                chosen.add(Errno.byName(name).orElseThrow(() -> new InvalidConfigException("tracked_failures", name,
                        "unknown errno name; known: " + java.util.Arrays.toString(Errno.values()))));
            }
            trackedFailures = chosen;
            return this;
        }

        /**
         * Sets {@link MonitorConfig#dnsEnabled()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder dnsEnabled(boolean value) { dnsEnabled = value; return this; }

        /**
         * Sets {@link MonitorConfig#dnsTimeout()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder dnsTimeout(Duration value) {
            dnsTimeout = positive("dns_timeout", value);
            return this;
        }

        /**
         * Sets {@link MonitorConfig#dnsPorts()}.
         *
         * @param ports the new setting
         * @return this builder
         */
        public Builder dnsPorts(int... ports) {
            if (ports.length == 0) {
                throw new InvalidConfigException("dns_ports", "[]", "at least one port is needed");
            }
            Set<Integer> chosen = new TreeSet<>();
            for (int port : ports) {
                if (port < 1 || port > 0xFFFF) {
                    throw new InvalidConfigException("dns_ports", port, "a port must be 1..65535");
                }
                chosen.add(port);
            }
            dnsPorts = chosen;
            return this;
        }

        /**
         * Sets {@link MonitorConfig#dnsCollectDomains()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder dnsCollectDomains(boolean value) { dnsCollectDomains = value; return this; }

        /**
         * Records only these query types (names such as {@code "A"}, {@code "AAAA"}); none means all.
         *
         * @param names records only these query types (names such as {@code "A"}, {@code "AAAA"}); none means all
         * @return this builder
         */
        public Builder dnsQueryTypes(String... names) {
            Set<Integer> chosen = new TreeSet<>();
            for (String name : names) {
                chosen.add(DnsQueryType.number(name).orElseThrow(() ->
                        new InvalidConfigException("dns_query_types", name, "unknown DNS query type")));
            }
            dnsQueryTypes = chosen;
            return this;
        }

        /**
         * Sets {@link MonitorConfig#dnsCollectLocal()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder dnsCollectLocal(boolean value) { dnsCollectLocal = value; return this; }

        /**
         * Sets {@link MonitorConfig#maxTrackedConnections()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder maxTrackedConnections(int value) {
            maxTrackedConnections = atLeast("max_tracked_connections", value, 1);
            return this;
        }

        /**
         * Sets {@link MonitorConfig#closedBufferSize()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder closedBufferSize(int value) {
            closedBufferSize = atLeast("closed_buffer_size", value, 1);
            return this;
        }

        /**
         * Sets {@link MonitorConfig#maxClientConnections()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder maxClientConnections(int value) {
            maxClientConnections = atLeast("max_client_connections", value, 1);
            return this;
        }

        /**
         * Sets {@link MonitorConfig#maxDnsStats()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder maxDnsStats(int value) {
            maxDnsStats = atLeast("max_dns_stats", value, 1);
            return this;
        }

        /**
         * See {@link MonitorConfig#udpPeerLimit()}.
         *
         * @param value see {@link MonitorConfig#udpPeerLimit()}
         * @return this builder
         */
        public Builder udpPeerLimit(int value) {
            udpPeerLimit = atLeast("udp_peer_limit", value, 1);
            return this;
        }

        /**
         * Sets {@link MonitorConfig#maxPendingDnsQueries()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder maxPendingDnsQueries(int value) {
            maxPendingDnsQueries = atLeast("max_pending_dns_queries", value, 1);
            return this;
        }

        /**
         * Sets {@link MonitorConfig#reverseDnsCacheSize()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder reverseDnsCacheSize(int value) {
            reverseDnsCacheSize = atLeast("reverse_dns_cache_size", value, 0);
            return this;
        }

        /**
         * Sets {@link MonitorConfig#clientExpiry()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder clientExpiry(Duration value) {
            clientExpiry = positive("client_expiry", value);
            return this;
        }

        /**
         * Adds a source exclusion: local addresses in {@code cidr} with the given port entries.
         *
         * @param cidr an address range such as {@code 10.0.0.0/8}
         * @param portEntries ports or port ranges such as {@code 22} or {@code udp 5000-5100}; none means every port
         * @return this builder
         */
        public Builder excludeSource(String cidr, String... portEntries) {
            sourceExclusions.put(cidr, validExclusion("source_exclusions", cidr, portEntries));
            return this;
        }

        /**
         * Adds a destination exclusion: remote addresses in {@code cidr} with the given port entries.
         *
         * @param cidr an address range such as {@code 10.0.0.0/8}
         * @param portEntries ports or port ranges such as {@code 22} or {@code udp 5000-5100}; none means every port
         * @return this builder
         */
        public Builder excludeDestination(String cidr, String... portEntries) {
            destinationExclusions.put(cidr, validExclusion("destination_exclusions", cidr, portEntries));
            return this;
        }

        /**
         * Sets {@link MonitorConfig#conntrackEnabled()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder conntrackEnabled(boolean value) { conntrackEnabled = value; return this; }

        /**
         * Sets {@link MonitorConfig#interval()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder interval(Duration value) {
            interval = positive("interval", value);
            return this;
        }

        /**
         * Sets {@link MonitorConfig#queueCapacity()}.
         *
         * @param value the new setting
         * @return this builder
         */
        public Builder queueCapacity(int value) {
            queueCapacity = atLeast("queue_capacity", value, 2);
            return this;
        }

        /**
         * Uses the backend with this name; empty picks the best available one.
         *
         * @param name uses the backend with this name; empty picks the best available one
         * @return this builder
         */
        public Builder backend(String name) {
            backend = name == null ? "" : name.trim();
            return this;
        }

        /**
         * Builds the MonitorConfig from the settings made so far.
         *
         * @return the new MonitorConfig
         */
        public MonitorConfig build() {
            return new MonitorConfig(this);
        }

        private static List<String> validExclusion(String setting, String cidr, String... portEntries) {
            List<String> ports = List.of(portEntries);
            try {
                ConnectionFilter.compile(Map.of(cidr, ports), Map.of());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(setting, cidr + "=" + ports, e.getMessage());
            }
            return ports;
        }

        private static int atLeast(String setting, int value, int minimum) {
            if (value < minimum) {
                throw new InvalidConfigException(setting, value, "must be at least " + minimum);
            }
            return value;
        }

        private static Duration positive(String setting, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidConfigException(setting, value, "must be a positive duration");
            }
            return value;
        }
    }
}
