package io.cnm4j.examples.cnm;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Direction;
import io.cnm4j.core.FlowSnapshot;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders one {@code cnm top} frame: a status line, the connections of the interval busiest
 * first, and a DNS panel with the busiest domains. Process names and DNS names are untrusted and
 * pass through {@link TerminalText#escape}: the frame's only control characters are its line ends.
 * Pure apart from the process-name lookup:
 * the frame depends only on the snapshot, the size and the names. Not thread-safe (the names
 * cache is not).
 */
final class TopView {
    /** Most DNS domains shown. */
    static final int MAX_DNS_ROWS = 5;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    // Fixed columns of a connection row; the remote endpoint gets what remains of the width.
    private static final int PROCESS = 12;
    private static final int PID = 7;
    private static final int DIR = 3;
    private static final int BYTES = 6;
    private static final int RTT = 7;
    private static final int COUNT = 4;
    private static final int FIXED = PROCESS + PID + DIR + 2 * BYTES + RTT + 2 * COUNT + 8;
    private static final int MIN_REMOTE = 12;
    private static final int DNS_NUMBERS = 7 + 6 + 7 + 3;

    private final ProcessNames names;
    private final DateTimeFormatter clock;
    private final Grouping grouping;

    /**
     * @param names process names for the PROCESS column
     * @param zone time zone of the clock in the status line
     */
    TopView(ProcessNames names, ZoneId zone) {
        this(names, zone, null);
    }

    /** A view whose rows are client → server groups of {@code grouping} ({@code --group-by}), when not null. */
    TopView(ProcessNames names, ZoneId zone, Grouping grouping) {
        this.names = names;
        this.clock = CLOCK.withZone(zone);
        this.grouping = grouping;
    }

    /**
     * The frame for a terminal of {@code width} columns and {@code height} rows: at most
     * {@code height} lines, none longer than {@code width}, joined by {@code '\n'} without a
     * final one (so that the terminal does not scroll).
     */
    String render(FlowSnapshot snapshot, int width, int height) {
        List<DomainSummary> domains = DomainSummary.byDomain(snapshot.dnsStats());
        int dnsRows = domains.isEmpty() ? 1 : Math.min(domains.size(), MAX_DNS_ROWS);
        int connectionRows = Math.max(1, height - 4 - dnsRows);
        int remote = Math.max(MIN_REMOTE, width - FIXED);

        List<String> lines = new ArrayList<>(height);
        lines.add(status(snapshot, width));
        if (grouping != null) {
            TopGroups.render(grouping, snapshot, width, connectionRows, lines);
        } else {
            connectionRows(snapshot, remote, connectionRows, lines);
        }
        lines.add("");
        int domainWidth = Math.max(MIN_REMOTE, width - DNS_NUMBERS);
        lines.add(String.format(Locale.ROOT, "%-" + domainWidth + "s %7s %6s %7s", "DNS DOMAIN", "QUERIES", "ERR%", "P99"));
        if (domains.isEmpty()) {
            lines.add("    (no DNS queries in this interval)");
        }
        for (DomainSummary d : domains.subList(0, Math.min(domains.size(), MAX_DNS_ROWS))) {
            lines.add(String.format(Locale.ROOT, "    %-" + (domainWidth - 4) + "s %7d %6s %7s",
                    cutTail(TerminalText.escape(d.domain()), domainWidth - 4), d.queries(), Units.percent(d.errors(), d.queries()),
                    Units.micros(d.p99Micros())));
        }
        List<String> frame = lines.size() > height ? lines.subList(0, Math.max(0, height)) : lines;
        return String.join("\n", frame.stream().map(line -> fit(line, width)).toList());
    }

    private void connectionRows(FlowSnapshot snapshot, int remote, int connectionRows, List<String> lines) {
        lines.add(String.format(Locale.ROOT, "%-" + PROCESS + "s %" + PID + "s %-" + DIR + "s %-" + remote + "s %"
                + BYTES + "s %" + BYTES + "s %" + RTT + "s %" + COUNT + "s %" + COUNT + "s",
                "PROCESS", "PID", "DIR", "REMOTE", "SENT", "RECV", "RTT", "RETR", "FAIL"));
        List<ConnectionStats> connections = new ArrayList<>(snapshot.connections());
        connections.sort(busiestFirst());
        if (connections.isEmpty()) {
            lines.add("  (no connection activity in this interval)");
        }
        boolean overflow = connections.size() > connectionRows;
        int shown = overflow ? connectionRows - 1 : connections.size();
        for (int i = 0; i < shown; i++) {
            lines.add(row(connections.get(i), remote));
        }
        if (overflow) {
            lines.add("  ... " + (connections.size() - shown) + " more connections");
        }
    }

    private String status(FlowSnapshot snapshot, int width) {
        String left = String.format(Locale.ROOT, "cnm4j top %s  backend %s  connections %d  loss %d",
                clock.format(snapshot.timestamp()), snapshot.backend(), snapshot.connections().size(),
                snapshot.telemetry().totalLoss());
        String right = "q quits";
        int gap = width - left.length() - right.length();
        return gap >= 2 ? left + " ".repeat(gap) + right : left;
    }

    private String row(ConnectionStats c, int remote) {
        int pid = c.key().pid();
        long failures = c.tcpFailures().values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%-" + PROCESS + "s %" + PID + "s %-" + DIR + "s %-" + remote + "s %"
                + BYTES + "s %" + BYTES + "s %" + RTT + "s %" + COUNT + "d %" + COUNT + "d",
                cutHead(TerminalText.escape(processName(c)), PROCESS), pid == 0 ? "-" : Integer.toString(pid),
                direction(c.direction()), cutTail(TerminalText.escape(Endpoints.remoteWithPort(c)), remote),
                Units.compactBytes(c.last().bytesSent()),
                Units.compactBytes(c.last().bytesReceived()), Units.micros(c.rttMicros()), c.last().retransmits(),
                failures);
    }

    /** The kernel's name (a process that exited keeps it), else what /proc says now. */
    private String processName(ConnectionStats c) {
        String tagged = c.tags().get("process_name");
        return tagged != null ? tagged : names.nameOf(c.key().pid());
    }

    /** Interval bytes (sent + received) descending; then pid, remote endpoint and local port for a stable order. */
    static Comparator<ConnectionStats> busiestFirst() {
        return Comparator.comparingLong((ConnectionStats c) -> c.last().bytesSent() + c.last().bytesReceived())
                .reversed()
                .thenComparingInt(c -> c.key().pid())
                .thenComparing(Endpoints::remoteWithPort)
                .thenComparingInt(c -> c.key().localPort());
    }

    private static String direction(Direction d) {
        return switch (d) {
            case INCOMING -> "in";
            case OUTGOING -> "out";
            case LOCAL -> "loc";
            case NONE -> "-";
        };
    }

    /** Keeps the start (a process name's distinctive part). */
    private static String cutHead(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    /** Keeps the end (a domain's zone and the port). */
    private static String cutTail(String text, int width) {
        return text.length() <= width ? text : "~" + text.substring(text.length() - width + 1);
    }

    private static String fit(String line, int width) {
        String trimmed = line.stripTrailing();
        return trimmed.length() <= width ? trimmed : trimmed.substring(0, Math.max(0, width));
    }
}
