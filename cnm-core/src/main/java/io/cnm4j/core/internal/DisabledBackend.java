package io.cnm4j.core.internal;

import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.FlowBackend;
import java.util.EnumMap;
import java.util.Map;

/**
 * The backend of a monitor configured with {@code enabled=false}: it loads, opens and captures
 * nothing, so that a disabled monitor costs no kernel resource and needs no privilege.
 */
public final class DisabledBackend implements FlowBackend {
    /** The name the monitor reports for it. */
    public static final String NAME = "disabled";
    private static final String REASON = "capture is switched off (enabled=false): nothing is loaded";

    @Override
    public void start() {
    }

    @Override
    public void readActive(ActiveConnectionConsumer consumer) {
    }

    @Override
    public Map<Feature, FeatureStatus> features() {
        Map<Feature, FeatureStatus> features = new EnumMap<>(Feature.class);
        for (Feature feature : Feature.values()) {
            features.put(feature, FeatureStatus.off(REASON));
        }
        return features;
    }

    @Override
    public Map<String, Long> telemetry() {
        return Map.of();
    }

    @Override
    public void close() {
    }
}
