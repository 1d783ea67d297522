package io.cnm4j.examples.cnm;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.FlowSnapshot;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plain-text form of {@code cnm watch}: one line per connection with its interval
 * counters, and one line of loss when the interval lost data. Pure.
 */
final class TextLines {
    private TextLines() {
    }

    /** The lines of one snapshot, without line ends. */
    static List<String> of(FlowSnapshot snapshot) {
        String time = snapshot.timestamp().truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> lines = new ArrayList<>(snapshot.connections().size() + 1);
        for (ConnectionStats c : snapshot.connections()) {
            lines.add(time + " " + connection(c));
        }
        long loss = snapshot.telemetry().totalLoss();
        if (loss > 0) {
            StringBuilder line = new StringBuilder(time).append(" loss ").append(loss).append(':');
            snapshot.telemetry().counters().forEach((name, value) -> {
                if (value > 0 && (name.endsWith("_dropped") || name.endsWith("_failed"))) {
                    line.append(' ').append(name).append('=').append(value);
                }
            });
            lines.add(line.toString());
        }
        return lines;
    }

    /** {@code tcp outgoing 10.0.0.1:40000 -> 93.184.216.34:443 pid=42 sent=300 recv=1200 retransmits=0 rtt_us=2500 …}. */
    static String connection(ConnectionStats c) {
        ConnectionKey key = c.key();
        StringBuilder line = new StringBuilder()
                .append(key.protocol().jsonName()).append(' ').append(c.direction().jsonName()).append(' ')
                .append(Endpoints.local(key)).append(" -> ")
                .append(Endpoints.remote(key))
                .append(" pid=").append(key.pid())
                .append(" sent=").append(c.last().bytesSent())
                .append(" recv=").append(c.last().bytesReceived())
                .append(" retransmits=").append(c.last().retransmits())
                .append(" rtt_us=").append(c.rttMicros());
        if (!c.tcpFailures().isEmpty()) {
            line.append(" failures=");
            Map<Integer, Long> sorted = new TreeMap<>(c.tcpFailures());
            line.append(String.join(",", sorted.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList()));
        }
        if (!c.dnsNames().isEmpty()) {
            line.append(" dns=").append(TerminalText.escape(String.join(",", c.dnsNames())));
        }
        if (c.closed()) {
            line.append(" closed");
        }
        return line.toString();
    }
}
