package io.cnm4j.linux.internal.conntrack;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NatTranslation;
import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.FlowBackend;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any Linux backend plus NAT resolution: delegates capture to the wrapped backend and answers
 * {@link #nat} from a {@link NatResolver}, so no backend needs NAT code of its own. Owns both;
 * {@link #close()} closes the resolver, then the backend.
 */
public final class NatEnrichedBackend implements FlowBackend {
    private final FlowBackend delegate;
    private final NatResolver resolver;

    private NatEnrichedBackend(FlowBackend delegate, NatResolver resolver) {
        this.delegate = delegate;
        this.resolver = resolver;
    }

    /** Wraps an opened backend; when conntrack is disabled or unreadable, NAT is off with the reason. */
    public static FlowBackend wrap(FlowBackend delegate, MonitorConfig config) {
        try {
            return new NatEnrichedBackend(delegate, NatResolver.open(config.conntrackEnabled(), NatSettings.DEFAULTS));
        } catch (RuntimeException | Error e) {
            delegate.close();
            throw e;
        }
    }

    @Override
    public void start() {
        delegate.start();
        resolver.start();
    }

    @Override
    public void readActive(ActiveConnectionConsumer consumer) {
        delegate.readActive(consumer);
        // connections are enriched right after this read: let conntrack's events catch up first
        resolver.catchUp();
    }

    @Override
    public boolean readsAllActive() {
        return delegate.readsAllActive();
    }

    @Override
    public Map<Feature, FeatureStatus> features() {
        Map<Feature, FeatureStatus> features = new EnumMap<>(Feature.class);
        features.putAll(delegate.features());
        features.put(Feature.NAT, resolver.status());
        return features;
    }

    @Override
    public Map<String, Long> telemetry() {
        Map<String, Long> counters = new LinkedHashMap<>(delegate.telemetry());
        counters.putAll(resolver.telemetry());
        return counters;
    }

    @Override
    public List<DnsStats> drainDnsStats() {
        return delegate.drainDnsStats();
    }

    @Override
    public List<String> dnsNames(InetAddress address) {
        return delegate.dnsNames(address);
    }

    @Override
    public Map<String, String> provenance() {
        return delegate.provenance();
    }

    @Override
    public NatTranslation nat(ConnectionKey key) {
        return resolver.lookup(key.protocol(), key.localAddress(), key.localPort(), key.remoteAddress(),
                key.remotePort(), key.netns(), key.pid());
    }

    @Override
    public void close() {
        try {
            resolver.close();
        } finally {
            delegate.close();
        }
    }
}
