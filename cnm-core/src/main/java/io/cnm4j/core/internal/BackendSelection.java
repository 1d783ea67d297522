package io.cnm4j.core.internal;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.spi.Availability;
import io.cnm4j.core.spi.FlowBackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Picks the backend: the provider named in the configuration, else the available provider of
 * highest priority; remembers why each other one was refused.
 *
 * @param chosen the provider to open
 * @param refused every other considered provider, with its reason
 */
public record BackendSelection(FlowBackendProvider chosen, Map<String, String> refused) {

    /**
     * Selects among explicitly given providers, or, when none is given, among those found by
     * {@link ServiceLoader}.
     *
     * @throws BackendUnavailableException when no candidate is available
     */
    public static BackendSelection select(MonitorConfig config, List<FlowBackendProvider> explicit) {
        return select(config, explicit, Map.of());
    }

    /**
     * As {@link #select(MonitorConfig, List)}, with providers that were available but failed to
     * open (by name, with the reason) refused.
     */
    public static BackendSelection select(MonitorConfig config, List<FlowBackendProvider> explicit,
            Map<String, String> failedToOpen) {
        List<FlowBackendProvider> candidates = new ArrayList<>(explicit);
        if (candidates.isEmpty()) {
            ServiceLoader.load(FlowBackendProvider.class).forEach(candidates::add);
        }
        candidates.sort(Comparator.comparingInt(FlowBackendProvider::priority).reversed());
        Map<String, String> refused = new LinkedHashMap<>();
        FlowBackendProvider chosen = null;
        for (FlowBackendProvider provider : candidates) {
            if (!config.backend().isEmpty() && !config.backend().equals(provider.name())) {
                refused.put(provider.name(), "not the configured backend '" + config.backend() + "'");
                continue;
            }
            if (chosen != null) {
                refused.put(provider.name(), "lower priority than " + chosen.name());
                continue;
            }
            if (failedToOpen.containsKey(provider.name())) {
                refused.put(provider.name(), failedToOpen.get(provider.name()));
                continue;
            }
            Availability availability = provider.availability(config);
            if (availability.available()) {
                chosen = provider;
            } else {
                refused.put(provider.name(), availability.reason());
            }
        }
        if (chosen == null) {
            throw new BackendUnavailableException(message(config, refused), refused);
        }
        return new BackendSelection(chosen, refused);
    }

    private static String message(MonitorConfig config, Map<String, String> refused) {
        if (refused.isEmpty()) {
            return "No cnm4j backend is on the class path: add cnm-linux-ebpf (Linux) or cnm-windows (Windows).";
        }
        if (!config.backend().isEmpty() && refused.values().stream().allMatch(r -> r.startsWith("not the configured"))) {
            return "No backend is named '" + config.backend() + "'; known: " + String.join(", ", refused.keySet()) + ".";
        }
        StringBuilder text = new StringBuilder("No cnm4j backend can run here: ");
        refused.forEach((name, why) -> text.append(name).append(": ").append(why).append(' '));
        return text.toString().trim();
    }
}
