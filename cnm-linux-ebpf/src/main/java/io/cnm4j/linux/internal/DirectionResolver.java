package io.cnm4j.linux.internal;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * Decides the direction of flows the kernel side could not classify (connections that existed
 * before capture started): incoming when the local port is a listening TCP port, outgoing
 * otherwise, as Datadog's tracer does with its port-binding table. Listening ports are read
 * from {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 */
final class DirectionResolver {
    private static final long REFRESH_NANOS = 5_000_000_000L;
    private static final String LISTEN_STATE = "0A";

    private volatile BitSet listeningTcpPorts = new BitSet(65536);
    private long lastRefreshNanos = Long.MIN_VALUE;

    /** Re-reads the listening ports when the last reading is older than five seconds. */
    void refresh() {
        long now = System.nanoTime();
        if (lastRefreshNanos != Long.MIN_VALUE && now - lastRefreshNanos < REFRESH_NANOS) {
            return;
        }
        lastRefreshNanos = now;
        BitSet ports = new BitSet(65536);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                listeningPorts(Files.readAllLines(Path.of(table)), ports);
            } catch (IOException e) {
                // IPv6 may be disabled: its table is then absent
            }
        }
        listeningTcpPorts = ports;
    }

    /** Adds the local ports of sockets in LISTEN state found in a {@code /proc/net/tcp} table. */
    static void listeningPorts(List<String> tableLines, BitSet into) {
        for (int i = 1; i < tableLines.size(); i++) {
            String[] fields = tableLines.get(i).trim().split("\\s+");
            if (fields.length > 3 && fields[3].equals(LISTEN_STATE)) {
                String local = fields[1];
                into.set(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
            }
        }
    }

    /** Fills in the direction of an event whose kernel side left it unknown. */
    void resolve(ConnectionEvent event) {
        if (event.direction() != Direction.NONE) {
            return;
        }
        boolean listening = event.protocol() == Protocol.TCP && listeningTcpPorts.get(event.localPort());
        event.direction(listening ? Direction.INCOMING : Direction.OUTGOING);
    }
}
