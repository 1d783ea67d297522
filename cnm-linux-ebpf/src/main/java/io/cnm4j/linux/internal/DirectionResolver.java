package io.cnm4j.linux.internal;

import io.cnm4j.core.Direction;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.spi.ConnectionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides the direction of flows the kernel side could not classify (connections that existed
 * before capture started): incoming when the local port is a listening TCP port of the flow's own
 * network namespace, outgoing otherwise, as Datadog's tracer does with its port-binding table.
 * Listening ports are read from {@code /proc/<pid>/net/tcp} and {@code tcp6} of the flow's process,
 * which shows that process's namespace; tables are kept per namespace and re-read every five
 * seconds. The answer is remembered per socket, so that a connection keeps its direction when its
 * process is gone by the time it closes. Thread-safe (the collector and the ring-buffer poller).
 */
final class DirectionResolver {
    private static final long REFRESH_NANOS = 5_000_000_000L;
    private static final String LISTEN_STATE = "0A";
    /** Namespaces whose tables are kept; the least recently used is dropped beyond this. */
    private static final int MAX_NAMESPACES = 256;
    /** Sockets whose direction is remembered; the least recently used is forgotten beyond this. */
    private static final int MAX_REMEMBERED = 65_536;

    private record ListeningPorts(BitSet ports, long readAtNanos) {
    }

    private final long ownNetns = ownNetworkNamespace();
    private final Map<Long, Direction> byCookie = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Direction> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private final Map<Long, ListeningPorts> byNamespace = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ListeningPorts> eldest) {
            return size() > MAX_NAMESPACES;
        }
    };

    private static long ownNetworkNamespace() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
    synchronized void resolve(ConnectionEvent event) {
        if (event.direction() != Direction.NONE) {
            return;
        }
        Direction known = byCookie.get(event.cookie());
        if (known == null) {
            boolean listening = event.protocol() == Protocol.TCP
                    && listeningPorts(event.netns(), event.pid()).get(event.localPort());
            known = listening ? Direction.INCOMING : Direction.OUTGOING;
            if (event.protocol() == Protocol.TCP) {
                byCookie.put(event.cookie(), known);
            }
        }
        if (event.kind() == ConnectionEvent.Kind.CLOSED) {
            byCookie.remove(event.cookie());
        }
        event.direction(known);
    }

    private BitSet listeningPorts(long netns, int pid) {
        long now = System.nanoTime();
        ListeningPorts known = byNamespace.get(netns);
        if (known != null && now - known.readAtNanos() < REFRESH_NANOS) {
            return known.ports();
        }
        // A process of that namespace shows its tables; this process shows its own namespace's.
        String process = pid > 0 && Files.isDirectory(Path.of("/proc", Integer.toString(pid)))
                ? Integer.toString(pid) : netns == ownNetns ? "self" : null;
        BitSet ports = new BitSet(65536);
        if (process == null) {
            return ports;
        }
        for (String table : List.of("tcp", "tcp6")) {
            try {
                listeningPorts(Files.readAllLines(Path.of("/proc", process, "net", table)), ports);
            } catch (IOException e) {
                // IPv6 may be disabled, or the process gone: what was read stands
            }
        }
        byNamespace.put(netns, new ListeningPorts(ports, now));
        return ports;
    }
}
