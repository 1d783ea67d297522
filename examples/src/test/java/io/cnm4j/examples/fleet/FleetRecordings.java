package io.cnm4j.examples.fleet;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.core.replay.ReplayBackendProvider;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Three recorded hosts of one fleet, two intervals each, replayed through a real monitor with
 * a static tagger for their service and zone (the kernel backends do not tag yet):
 * <ul>
 *   <li>web-1 (frontend, eu-1a) calls api-1 twice (one refused) and an external endpoint;</li>
 *   <li>api-1 (api, eu-1b) accepts web-1's call and calls db-1;</li>
 *   <li>db-1 (postgres, eu-1b) accepts api-1's call and one from an unmonitored 10.0.9.9.</li>
 * </ul>
 */
public final class FleetRecordings {
    /** A host's name, tags and replay lines. */
    public record Host(String name, Map<String, String> tags, List<String> replay) {
        /** The monitor of this host over its replay. */
        NetworkMonitor monitor() {
            return NetworkMonitor.builder().backend(ReplayBackendProvider.fromLines(replay)).taggers(key -> tags).build();
        }

        /**
         * The snapshots of the two intervals, stamped {@code base + 10 s} and {@code base + 70 s}: in
         * two one-minute windows when {@code base} starts one, whenever the test runs.
         */
        public List<FlowSnapshot> snapshots(Instant base) {
            List<FlowSnapshot> snapshots = new ArrayList<>();
            try (NetworkMonitor monitor = monitor()) {
                FlowClient client = monitor.registerClient("recording");
                monitor.start();
                for (int i = 0; i < 2; i++) {
                    FlowSnapshot s = client.poll();
                    snapshots.add(new FlowSnapshot(base.plusSeconds(10 + 60L * i), s.backend(), s.connections(),
                            s.dnsStats(), s.telemetry()));
                }
            }
            return snapshots;
        }

        /** The {@code conn} JSON lines of each interval, as the exporter publishes them. */
        List<List<String>> connectionLines() {
            List<List<String>> intervals = new ArrayList<>();
            for (FlowSnapshot snapshot : snapshots(Instant.EPOCH)) {
                StringWriter text = new StringWriter();
                try (FlowJsonWriter json = FlowJsonWriter.to(text)) {
                    for (ConnectionStats c : snapshot.connections()) {
                        json.writeConnection(c, snapshot.timestamp());
                    }
                }
                intervals.add(text.toString().lines().toList());
            }
            return intervals;
        }
    }

    static final String TICK = "{\"event\":\"tick\"}";

    static final Host WEB = new Host("web-1", Map.of("service", "frontend", "zone", "eu-1a"), List.of(
            conn("update", 1, "10.0.1.10", 40000, "10.0.2.20", 8080, "outgoing", 300, 1200, 1, ""),
            conn("closed", 2, "10.0.1.10", 40001, "10.0.2.20", 8080, "outgoing", 0, 0, 0, ",\"errno\":111"),
            conn("update", 3, "10.0.1.10", 40002, "93.184.216.34", 443, "outgoing", 100, 400, 0, ""),
            TICK,
            conn("closed", 1, "10.0.1.10", 40000, "10.0.2.20", 8080, "outgoing", 500, 2000, 1, ""),
            TICK));
    static final Host API = new Host("api-1", Map.of("service", "api", "zone", "eu-1b"), List.of(
            conn("update", 1, "10.0.2.20", 8080, "10.0.1.10", 40000, "incoming", 1200, 300, 2, ""),
            conn("update", 2, "10.0.2.20", 50000, "10.0.3.30", 5432, "outgoing", 50, 5000, 0, ""),
            TICK,
            conn("closed", 1, "10.0.2.20", 8080, "10.0.1.10", 40000, "incoming", 2000, 500, 3, ""),
            TICK));
    static final Host DB = new Host("db-1", Map.of("service", "postgres", "zone", "eu-1b"), List.of(
            conn("update", 1, "10.0.3.30", 5432, "10.0.2.20", 50000, "incoming", 5000, 50, 0, ""),
            conn("closed", 2, "10.0.3.30", 5432, "10.0.9.9", 33000, "incoming", 10, 20, 0, ""),
            TICK,
            TICK));
    public static final List<Host> FLEET = List.of(WEB, API, DB);

    private FleetRecordings() {
    }

    private static String conn(String event, int cookie, String laddr, int lport, String raddr, int rport,
            String direction, long sent, long received, long retransmits, String extra) {
        return "{\"event\":\"" + event + "\",\"cookie\":" + cookie + ",\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\""
                + laddr + "\",\"lport\":" + lport + ",\"raddr\":\"" + raddr + "\",\"rport\":" + rport
                + ",\"pid\":100,\"netns\":1,\"direction\":\"" + direction + "\",\"established\":true,\"bytes_sent\":"
                + sent + ",\"bytes_recv\":" + received + ",\"retransmits\":" + retransmits + extra + "}";
    }
}
