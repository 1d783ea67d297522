package io.cnm4j.linux.internal.sockdiag;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.core.Direction;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.linux.LinuxSockDiagBackendProvider;
import io.cnm4j.linux.internal.conntrack.NetworkNamespaces;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code linux-sockdiag} backend: no BPF, no capability. At every collection it dumps the
 * TCP sockets of the monitor's network namespace through netlink sock_diag with their
 * {@code tcp_info}, reports each live connection's counters, and reports a connection closed
 * when it is gone from the next dump (with the counters of its last dump).
 *
 * <p>What it cannot see is counted instead: connections that opened and closed between two
 * dumps are estimated from {@code /proc/net/snmp} (opens minus connections first seen) and
 * added to {@link #MISSED}. Used by the collecting thread only (and by {@link #start()} before
 * it runs); owns its netlink socket.
 */
public final class SockDiagBackend implements FlowBackend {
    private static final Logger LOG = LoggerFactory.getLogger(SockDiagBackend.class);
    /** Connections opened and closed between two dumps: never seen, so never reported. */
    public static final String MISSED = "sockdiag_connections_missed";
    public static final String ATTEMPT_FAILS = "sockdiag_tcp_attempt_fails";
    public static final String ESTAB_RESETS = "sockdiag_tcp_estab_resets";
    public static final String DUMP_FAILED = "sockdiag_dump_failed";
    public static final String MALFORMED = "sockdiag_malformed_dropped";
    private static final int IPPROTO_TCP = 6;
    /** Every state with a full socket and tcp_info: not SYN_RECV (a request), TIME_WAIT or CLOSE. */
    private static final int STATES = 1 << 1 | 1 << SocketDecoder.TCP_SYN_SENT | 1 << 4 | 1 << 5 | 1 << 8 | 1 << 9
            | 1 << SocketDecoder.TCP_LISTEN | 1 << 11;

    private final SockDiagReader reader;
    private final SocketOwners owners = new SocketOwners();
    private final long netns = NetworkNamespaces.own();
    private final BitSet listeningPorts = new BitSet(65536);
    /** Sockets of the dump in progress, reused from dump to dump. */
    private final List<ConnectionEvent> dumped = new ArrayList<>();
    private long[] dumpedInodes = new long[64];
    private int dumpedCount;
    private Map<Long, ConnectionEvent> live = new HashMap<>();
    private Map<Long, ConnectionEvent> next = new HashMap<>();
    private final ConnectionEvent closing = new ConnectionEvent();
    private TcpSnmp lastSnmp;
    private boolean baseline = true;
    /** False once the kernel refused an IPv6 dump as unsupported. */
    private boolean ipv6 = true;
    private long missed;
    private long attemptFails;
    private long estabResets;
    private long dumpFailures;
    private long undecoded;
    private volatile boolean running;
    private boolean closed;

    private SockDiagBackend(SockDiagReader reader) {
        this.reader = reader;
    }

    /** Why sock_diag cannot be used here, or empty when it can (it needs Linux and no capability). */
    public static Optional<String> problem() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("netlink sock_diag exists on Linux only");
        }
        try (SockDiagReader probe = SockDiagReader.open()) {
            return Optional.empty();
        } catch (NativeCallException | RuntimeException | LinkageError e) {
            return Optional.of("netlink sock_diag socket unavailable: " + e.getMessage());
        }
    }

    /**
     * Opens the sock_diag socket.
     *
     * @throws BackendUnavailableException naming the failed call and its errno, so that the monitor
     *         can fall back to another backend
     */
    public static SockDiagBackend open() {
        try {
            return new SockDiagBackend(SockDiagReader.open());
        } catch (NativeCallException e) {
            String reason = "could not open its netlink sock_diag socket: " + e.getMessage();
            BackendUnavailableException refused = new BackendUnavailableException(
                    LinuxSockDiagBackendProvider.NAME + " " + reason, Map.of(LinuxSockDiagBackendProvider.NAME, reason));
            refused.initCause(e);
            throw refused;
        }
    }

    /** Takes the baseline: sockets that exist now are known, so later ones count as opened. */
    @Override
    public synchronized void start() {
        if (running || closed) {
            return;
        }
        poll(update -> { });
        running = true;
    }

    @Override
    public synchronized void readActive(ActiveConnectionConsumer consumer) {
        if (running) {
            poll(consumer);
        }
    }

    private void poll(ActiveConnectionConsumer consumer) {
        TcpSnmp snmp = TcpSnmp.read();
        dumpedCount = 0;
        listeningPorts.clear();
        try {
            reader.dump(SocketDecoder.AF_INET, IPPROTO_TCP, STATES, this::onSocket);
        } catch (NativeCallException e) {
            dumpFailed(e);
            return;
        }
        if (ipv6) {
            try {
                reader.dump(SocketDecoder.AF_INET6, IPPROTO_TCP, STATES, this::onSocket);
            } catch (NativeCallException e) {
                // a kernel without IPv6 answers the IPv6 dump with an error: IPv4 still counts
                ipv6 = e.errno() != LinuxErrno.ENOENT && e.errno() != LinuxErrno.EINVAL
                        && e.errno() != LinuxErrno.EOPNOTSUPP;
                dumpFailed(e);
            }
        }
        long now = epochNanos();
        owners.beginPoll();
        int firstSeen = 0;
        for (int i = 0; i < dumpedCount; i++) {
            ConnectionEvent event = dumped.get(i);
            ConnectionEvent previous = live.remove(event.flowId());
            if (previous == null) {
                firstSeen++;
                event.establishedAfterStart(!baseline).startEpochNanos(now);
            } else {
                event.establishedAfterStart(previous.establishedAfterStart()).startEpochNanos(previous.startEpochNanos());
            }
            event.direction(listeningPorts.get(event.localPort()) ? Direction.INCOMING : Direction.OUTGOING)
                    .pid(previous != null && previous.pid() != 0 ? previous.pid() : owners.pidOf(dumpedInodes[i]))
                    .netns(netns)
                    .lastUpdateEpochNanos(now);
            consumer.accept(event);
            next.put(event.flowId(), (previous != null ? previous : new ConnectionEvent()).copyFrom(event));
        }
        for (ConnectionEvent gone : live.values()) {
            consumer.accept(closing.copyFrom(gone).kind(ConnectionEvent.Kind.CLOSED).lastUpdateEpochNanos(now));
        }
        Map<Long, ConnectionEvent> swap = live;
        swap.clear();
        live = next;
        next = swap;
        if (!baseline && snmp != null && lastSnmp != null) {
            missed += Math.max(0, snmp.opensSince(lastSnmp) - firstSeen);
            attemptFails += Math.max(0, snmp.attemptFails() - lastSnmp.attemptFails());
            estabResets += Math.max(0, snmp.estabResets() - lastSnmp.estabResets());
        }
        lastSnmp = snmp;
        baseline = false;
    }

    private void dumpFailed(NativeCallException e) {
        if (dumpFailures++ == 0) {
            LOG.warn("sock_diag dump failed (counted in {}): {}", DUMP_FAILED, e.getMessage());
        }
    }

    private void onSocket(MemorySegment s, long message, long info, int infoLength) {
        if (SocketDecoder.state(s, message) == SocketDecoder.TCP_LISTEN) {
            listeningPorts.set(SocketDecoder.localPort(s, message));
            return;
        }
        if (dumpedCount == dumped.size()) {
            dumped.add(new ConnectionEvent());
        }
        if (dumpedCount == dumpedInodes.length) {
            dumpedInodes = Arrays.copyOf(dumpedInodes, dumpedCount * 2);
        }
        ConnectionEvent event = dumped.get(dumpedCount).reset().kind(ConnectionEvent.Kind.UPDATE);
        if (SocketDecoder.decode(s, message, info, infoLength, event)) {
            dumpedInodes[dumpedCount++] = SocketDecoder.inode(s, message);
        } else {
            undecoded++;
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Every dump lists every live socket, so a flow missing from dumps has ended. */
    @Override
    public boolean readsAllActive() {
        return true;
    }

    @Override
    public Map<Feature, FeatureStatus> features() {
        Map<Feature, FeatureStatus> features = new EnumMap<>(Feature.class);
        features.put(Feature.TCP, FeatureStatus.on("partial: netlink sock_diag dumps at every collection; connections"
                + " that open and close between two dumps are not seen (estimated in " + MISSED + "), and bytes"
                + " after the last dump of a connection are not counted"));
        features.put(Feature.UDP, FeatureStatus.off("sock_diag lists UDP sockets without byte or packet counters;"
                + " UDP needs the linux-ebpf backend"));
        features.put(Feature.IPV6, FeatureStatus.on("TCP over IPv6 (IPv4-mapped addresses reported as IPv4)"));
        features.put(Feature.TCP_RTT, FeatureStatus.on("tcp_info rtt/rttvar at each dump"));
        features.put(Feature.TCP_RETRANSMITS, FeatureStatus.on("tcp_info total_retrans at each dump"));
        features.put(Feature.TCP_FAILURES, FeatureStatus.off("a failed connection closes before a dump can see its"
                + " error; host-wide counts only (" + ATTEMPT_FAILS + ", " + ESTAB_RESETS + ")"));
        features.put(Feature.PROCESS_ID, FeatureStatus.on("partial: socket inodes found in /proc/<pid>/fd, only for"
                + " processes this user may inspect (its own without CAP_SYS_PTRACE)"));
        features.put(Feature.NETWORK_NAMESPACE, FeatureStatus.on("partial: only the monitor's own namespace"));
        features.put(Feature.DNS, FeatureStatus.off("DNS capture needs a packet socket (CAP_NET_RAW) and the linux-ebpf"
                + " backend"));
        return features;
    }

    @Override
    public Map<String, Long> telemetry() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(MISSED, missed);
        counters.put(ATTEMPT_FAILS, attemptFails);
        counters.put(ESTAB_RESETS, estabResets);
        counters.put(DUMP_FAILED, dumpFailures);
        counters.put(MALFORMED, reader.rejected() + undecoded);
        counters.put("sockdiag_proc_scans", owners.scans());
        return counters;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        reader.close();
    }
}
