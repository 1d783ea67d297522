package io.cnm4j.examples.cnm;

import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.tagging.TrafficGroup;
import java.util.List;
import java.util.Locale;

/**
 * The rows of {@code cnm top --group-by}: one per client → server group of the interval, with
 * the traffic summed by {@link io.cnm4j.tagging.TrafficAggregation}, heaviest first. A side without
 * the grouping's tags shows as {@code -}.
 */
final class TopGroups {
    private static final int CONNS = 5;
    private static final int BYTES = 6;
    private static final int RTT = 7;
    private static final int COUNT = 4;
    /** Columns taken by the numbers and their separators. */
    static final int NUMBERS = CONNS + 2 * BYTES + RTT + 2 * COUNT + 6;
    private static final int MIN_GROUP = 20;

    private TopGroups() {
    }

    static void render(Grouping grouping, FlowSnapshot snapshot, int width, int rows, List<String> lines) {
        int group = Math.max(MIN_GROUP, width - NUMBERS);
        lines.add(String.format(Locale.ROOT, "%-" + group + "s %" + CONNS + "s %" + BYTES + "s %" + BYTES + "s %" + RTT
                + "s %" + COUNT + "s %" + COUNT + "s", grouping.name().toUpperCase(Locale.ROOT) + " (CLIENT -> SERVER)",
                "CONNS", "SENT", "RECV", "RTT", "RETR", "FAIL"));
        List<TrafficGroup> groups = grouping.aggregation().aggregate(snapshot);
        if (groups.isEmpty()) {
            lines.add("  (no connection activity in this interval)");
        }
        boolean overflow = groups.size() > rows;
        int shown = overflow ? rows - 1 : groups.size();
        for (TrafficGroup g : groups.subList(0, shown)) {
            String label = name(grouping.label(g.client())) + " -> " + name(grouping.label(g.server()));
            lines.add(String.format(Locale.ROOT, "%-" + group + "s %" + CONNS + "d %" + BYTES + "s %" + BYTES + "s %" + RTT
                    + "s %" + COUNT + "d %" + COUNT + "d", cut(label, group), g.connections(),
                    Units.compactBytes(g.bytesClientToServer()), Units.compactBytes(g.bytesServerToClient()),
                    Units.micros(g.rttMicros()), g.retransmits(), g.failures()));
        }
        if (overflow) {
            lines.add("  ... " + (groups.size() - shown) + " more groups");
        }
    }

    private static String name(String label) {
        return label.isEmpty() ? "-" : label;
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
