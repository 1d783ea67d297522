package io.cnm4j.examples.cnm;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.tagging.TagKeys;
import io.cnm4j.tagging.TrafficAggregation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code cnm map --by} and {@code cnm top --group-by} group connections by: a named set of
 * tag keys and how to label a group from their values.
 *
 * @param name the option value: process, container, pod, service or zone
 * @param aggregation the tag-based grouping of the cnm-tagging module
 */
record Grouping(String name, TrafficAggregation aggregation) {
    static final List<String> NAMES = List.of("process", "container", "pod", "service", "zone");

    /** The grouping for an option value. */
    static Grouping byName(String option, String value) throws UsageException {
        String name = value.trim().toLowerCase(Locale.ROOT);
        List<String> keys = switch (name) {
            case "process" -> List.of(TagKeys.PROCESS_NAME);
            case "container" -> List.of(TagKeys.CONTAINER_ID, TagKeys.CONTAINER_NAME);
            case "pod" -> List.of(TagKeys.KUBE_NAMESPACE, TagKeys.POD_NAME);
            case "service" -> List.of(TagKeys.SERVICE, TagKeys.KUBE_SERVICE);
            case "zone" -> List.of(TagKeys.ZONE);
            default -> throw new UsageException(UsageException.Problem.BAD_VALUE, option,
                    option + " takes one of " + String.join(", ", NAMES) + ", not '" + value + "'");
        };
        return new Grouping(name, TrafficAggregation.by(keys.toArray(String[]::new)));
    }

    /** The label of the side that opened the connection, "" when it has none of the keys. */
    String clientLabel(ConnectionStats c) {
        return label(aggregation.clientSide(c));
    }

    /** The label of the side that accepted the connection, "" when it has none of the keys. */
    String serverLabel(ConnectionStats c) {
        return label(aggregation.serverSide(c));
    }

    /** A group's label: "namespace/pod", a container's name (else its short id), or the one value. */
    String label(Map<String, String> side) {
        return switch (name) {
            case "pod" -> side.containsKey(TagKeys.POD_NAME)
                    ? side.getOrDefault(TagKeys.KUBE_NAMESPACE, "") + "/" + side.get(TagKeys.POD_NAME) : "";
            case "container" -> side.containsKey(TagKeys.CONTAINER_NAME) ? side.get(TagKeys.CONTAINER_NAME)
                    : shortId(side.getOrDefault(TagKeys.CONTAINER_ID, ""));
            case "service" -> side.getOrDefault(TagKeys.SERVICE, side.getOrDefault(TagKeys.KUBE_SERVICE, ""));
            case "process" -> side.getOrDefault(TagKeys.PROCESS_NAME, "");
            default -> side.getOrDefault(TagKeys.ZONE, "");
        };
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
