package io.cnm4j.linux.internal;

import static io.cnm4j.linux.internal.ConnRecordLayout.*;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.internal.WorkerRunner;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import io.cnm4j.linux.internal.dns.DnsCapture;
import io.cnm4j.linux.internal.libbpf.BpfMapEntries;
import io.cnm4j.linux.internal.libbpf.BpfObject;
import io.cnm4j.linux.internal.libbpf.LibBpf;
import io.cnm4j.linux.internal.libbpf.RingBufferReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eBPF backend: loads {@code cnm_conn.bpf.o} configured from {@link MonitorConfig}, attaches
 * its tracepoint and cgroup programs, turns ring-buffer records (closed connections) into
 * {@link ConnectionEvent}s on a polling thread, and reads the live TCP and UDP maps in batches at
 * every collection; where the kernel loads it ({@link LiveTcpIterator}), the iterator
 * {@code cnm_tcp_live} refreshes the live TCP map just before, instead of every send and receive.
 *
 * <p>Owns the BPF object (which alone owns and frees every program, map, link, map reader, the
 * iterator and the ring buffer reader), the DNS packet capture and the off-heap scratch; all of
 * them are freed by {@link #close()}.
 *
 * <p>Threads: {@link #readActive}, {@link #telemetry()} and {@link #close()} hold this backend's
 * lock, so closing never frees memory or descriptors under a map read; the ring-buffer thread is
 * stopped by {@code close()} before the object closes, and the reader waits for a poll in
 * progress. Closing is idempotent, and a close that failed part-way is completed by the next one.
 */
public final class EbpfBackend implements FlowBackend {
    private static final Logger LOG = LoggerFactory.getLogger(EbpfBackend.class);
    private static final int BATCH_ENTRIES = 1024;
    private static final Duration RING_POLL_TIMEOUT = Duration.ofMillis(50);
    /** Failed polls in a row (with backoff up to 1 s between them) after which the poller gives up. */
    private static final int POLLER_MAX_CONSECUTIVE_FAILURES = 10;
    /** UDP has no close handshake: a peer silent this long is reported closed (conntrack's UDP timeout). */
    private static final long UDP_IDLE_NANOS = Duration.ofSeconds(30).toNanos();
    /**
     * socket_map variant: every tracked TCP socket (both ends of local connections, and those that
     * found tcp_live full) and every UDP socket that moved data needs an entry; entries are only
     * allocated when used.
     */
    private static final int SOCK_STATE_MIN_ENTRIES = 262_144;

    /**
     * Hook invocations the kernel skipped because the program was already running on that CPU;
     * each may have lost an update or a close, so it counts as loss.
     */
    static final String KERNEL_PROGRAM_SKIPS = "kernel_program_skips_dropped";

    private final ConnectionEventSink sink;
    private final BpfObject object;
    private final ProgramVariant variant;
    private final BpfMapEntries tcpLive;
    /** Refresh {@link #tcpLive} before each read; null where sends and receives do it. */
    private final LiveTcpPasses livePasses;
    private final BpfMapEntries udpStats;
    private final BpfMapEntries udpOverflow;
    private final BpfMapEntries telemetryMap;
    private final RingBufferReader closedEvents;
    private final ConnRecordDecoder decoder;
    private final DirectionResolver directions = new DirectionResolver();
    private final Path cgroupRoot;
    /** Null when DNS statistics are off or the packet socket could not be opened ({@link #dnsProblem}). */
    private final DnsCapture dns;
    private final String dnsProblem;
    private final Set<Integer> dnsPorts;
    private final ConnectionEvent scratch = new ConnectionEvent();
    /** Cookies of released multi-peer UDP sockets whose remaining peers the next read closes. */
    private final Set<Long> releasedUdpSockets = ConcurrentHashMap.newKeySet();
    private final Arena arena = Arena.ofShared();
    /** Off-heap keys for one batch delete. */
    private final MemorySegment deleteKeys;
    /** Keys of the flows a read ended, collected during the read (the map must not change then). */
    private byte[] expiredKeys = new byte[KEY_BYTES * BATCH_ENTRIES];
    private final MemorySegment telemetryKey;
    private final MemorySegment telemetryValue;
    private final long monotonicToEpochNanos;
    private final UdpPeerLimitLog peerLimitLog = new UdpPeerLimitLog();
    private int expiredCount;
    private volatile long malformedRecords;
    /** Written by the ring-buffer thread only. */
    private volatile long tcpClosesReceived;
    private final RecentTcpCloses recentTcpCloses = new RecentTcpCloses();
    private volatile boolean running;
    private final WorkerRunner poller;
    /** Guarded by this backend's lock, like every use of the maps and the scratch memory. */
    private boolean closed;

    private EbpfBackend(BackendContext context, BpfObject object, ProgramVariant variant, boolean liveIterator,
            Path cgroupRoot, DnsCapture dns, String dnsProblem) throws NativeCallException {
        this.sink = context.events();
        // No idle park: poll() itself waits for records up to RING_POLL_TIMEOUT.
        this.poller = new WorkerRunner("ebpf-ringbuf", 0, POLLER_MAX_CONSECUTIVE_FAILURES, this::pollClosedEvents);
        this.object = object;
        this.variant = variant;
        this.cgroupRoot = cgroupRoot;
        this.dns = dns;
        this.dnsProblem = dnsProblem;
        this.dnsPorts = context.config().dnsPorts();
        Instant now = Instant.now();
        this.monotonicToEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
        this.decoder = new ConnRecordDecoder(monotonicToEpochNanos);
        this.tcpLive = object.openEntries("tcp_live", BATCH_ENTRIES);
        this.livePasses = liveIterator ? new LiveTcpPasses(object, arena) : null;
        this.udpStats = object.openEntries("udp_stats", BATCH_ENTRIES);
        this.udpOverflow = object.openEntries("udp_overflow", BATCH_ENTRIES);
        this.telemetryMap = object.openEntries("telemetry", 1);
        this.closedEvents = object.openRingBuffer("closed_events", this::onClosedRecord);
        this.deleteKeys = arena.allocate((long) KEY_BYTES * BATCH_ENTRIES, Long.BYTES);
        this.telemetryKey = arena.allocate(ValueLayout.JAVA_INT);
        this.telemetryValue = arena.allocate(ValueLayout.JAVA_LONG);
    }

    /**
     * Opens, loads and attaches the BPF object with the configured map sizes and switches and the
     * {@link ProgramVariant} of the running kernel. The programs run from here on, so that a kernel
     * refusing any of them is known before the monitor settles on this backend; their records wait
     * in the ring buffer until {@link #start()}.
     *
     * @throws BackendUnavailableException when cgroup v2 is not mounted, the BPF object fails its
     *         integrity check, or a program fails to load or attach (the verifier's or libbpf's line
     *         naming the program and the errno), so that the monitor can fall back to another backend
     */
    public static EbpfBackend open(BackendContext context) {
        Path cgroupRoot = CgroupMounts.cgroup2().map(CgroupMounts::attachPoint)
                .orElseThrow(() -> unavailable(CgroupMounts.NOT_MOUNTED));
        return open(context, ProgramVariant.running(), cgroupRoot);
    }

    /**
     * As {@link #open(BackendContext)}, with the given variant instead of the running kernel's, and
     * the cgroup programs attached to {@code cgroupRoot}.
     */
    static EbpfBackend open(BackendContext context, ProgramVariant variant, Path cgroupRoot) {
        MonitorConfig config = context.config();
        byte[] objectBytes = variant.objectBytes();
        BpfObject object = null;
        DnsCapture dns = null;
        String dnsProblem = "DNS statistics are switched off (dns_enabled)";
        String step = "load its BPF programs";
        try {
            boolean liveIterator = LiveTcpIterator.usable(variant);
            object = BpfObject.open("cnm_conn", objectBytes);
            variant.selectIn(object);
            if (!variant.socketMap() && !liveIterator) {
                object.program(LiveTcpIterator.PROGRAM).setAutoload(false);
            }
            object.map("tcp_live").setMaxEntries(config.maxTrackedConnections());
            if (variant.socketMap()) {
                object.map("sock_state").setMaxEntries(
                        Math.max(SOCK_STATE_MIN_ENTRIES, 4 * config.maxTrackedConnections()));
            }
            object.map("udp_stats").setMaxEntries(config.maxTrackedConnections());
            try (Arena scratch = Arena.ofConfined()) {
                object.map(".rodata").setInitialValue(kernelConfig(config, liveIterator, scratch));
            }
            object.load();
            step = "attach its BPF programs";
            object.attachAll(cgroupRoot);
            if (config.dnsEnabled()) {
                try {
                    dns = DnsCapture.open(config);
                    dnsProblem = null;
                } catch (NativeCallException e) {
                    dnsProblem = "DNS packet capture unavailable: " + e.getMessage();
                    LOG.warn("{}; connections are still captured", dnsProblem);
                }
            }
            step = "open its BPF maps";
            return new EbpfBackend(context, object, variant, liveIterator, cgroupRoot, dns, dnsProblem);
        } catch (NativeCallException | RuntimeException e) {
            if (dns != null) {
                dns.close();
            }
            if (object != null) {
                object.close();
            }
            BackendUnavailableException refused = unavailable("could not " + step + " ("
                    + variant.label() + " variant, kernel " + KernelVersion.running() + "): "
                    + firstLine(e.getMessage()));
            refused.initCause(e);
            throw refused;
        }
    }

    private static BackendUnavailableException unavailable(String reason) {
        return new BackendUnavailableException(LinuxEbpfBackendProvider.NAME + " " + reason,
                Map.of(LinuxEbpfBackendProvider.NAME, reason));
    }

    /** The verifier's and libbpf's messages run over many lines: the first says what failed. */
    private static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** struct cnm_config: switched-off protocols and families are never tracked in the kernel. */
    private static MemorySegment kernelConfig(MonitorConfig config, boolean liveIterator, Arena arena) {
        MemorySegment data = arena.allocate(CONFIG_BYTES, Integer.BYTES);
        data.set(ValueLayout.JAVA_INT, CONFIG_COLLECT_TCP, config.collectTcp() ? 1 : 0);
        data.set(ValueLayout.JAVA_INT, CONFIG_COLLECT_UDP, config.collectUdp() ? 1 : 0);
        data.set(ValueLayout.JAVA_INT, CONFIG_COLLECT_IPV6, config.collectIpv6() ? 1 : 0);
        data.set(ValueLayout.JAVA_INT, CONFIG_UDP_PEER_LIMIT, config.udpPeerLimit());
        data.set(ValueLayout.JAVA_INT, CONFIG_TCP_LIVE_ITERATOR, liveIterator ? 1 : 0);
        return data;
    }

    @Override
    public void start() {
        if (dns != null) {
            dns.start();
        }
        running = true;
        poller.start();
    }

    /** Ring-buffer thread: one duty cycle of the poller; returns the records consumed. */
    private int pollClosedEvents() throws NativeCallException {
        // The kernel side submits without wakeups until the ring is a quarter full, so
        // records that arrived during the wait are consumed explicitly.
        return closedEvents.poll(RING_POLL_TIMEOUT) + closedEvents.consume();
    }

    /** Ring-buffer thread: a closed TCP connection or UDP flow, a released UDP socket, or an offender. */
    private void onClosedRecord(MemorySegment memory, long offset, int length) {
        if (length < RECORD_BYTES) {
            malformedRecords++;
            return;
        }
        int kind = memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + RECORD_KIND);
        switch (kind) {
            case RECORD_TCP_CLOSED -> {
                tcpClosesReceived++;
                // before the close can be applied, so that any read after that skips the live entry
                recentTcpCloses.add(memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + RECORD_KEY + KEY_COOKIE));
                publishClosed(memory, offset);
            }
            case RECORD_UDP_CLOSED -> publishClosed(memory, offset);
            case RECORD_UDP_RELEASED ->
                    releasedUdpSockets.add(memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + RECORD_KEY + KEY_COOKIE));
            case RECORD_UDP_PEER_LIMIT -> peerLimitLog.record(memory, offset);
            default -> malformedRecords++;
        }
    }

    private void publishClosed(MemorySegment memory, long offset) {
        ConnectionEvent event = sink.claim();
        if (event == null) {
            return;
        }
        try {
            decoder.decode(memory, offset + RECORD_KEY, memory, offset + RECORD_STATS, event);
            event.kind(ConnectionEvent.Kind.CLOSED);
            directions.resolve(event);
        } catch (RuntimeException e) {
            sink.abort(event);
            throw e;
        }
        sink.publish(event);
    }

    @Override
    public synchronized void readActive(ActiveConnectionConsumer consumer) {
        if (!running || closed) {
            return;
        }
        long nowMonotonic = System.nanoTime();
        // Entries of these sockets all exist by now: their release record comes after them.
        Set<Long> released = Set.copyOf(releasedUdpSockets);
        try {
            recentTcpCloses.startRead();
            if (livePasses != null) {
                livePasses.run();
            }
            expiredCount = 0;
            tcpLive.readAll((keys, values, count) -> {
                for (int i = 0; i < count; i++) {
                    long keyOffset = (long) i * COOKIE_KEY_BYTES;
                    long valueOffset = (long) i * STATS_BYTES;
                    decoder.decode(keys, keyOffset, values, valueOffset, scratch.reset());
                    if (recentTcpCloses.contains(scratch.cookie())) {
                        rememberExpired(keys, keyOffset, COOKIE_KEY_BYTES);
                        continue;
                    }
                    if (livePasses != null && livePasses.missedClose(scratch.cookie(),
                            values.get(ValueLayout.JAVA_INT_UNALIGNED, valueOffset + STATS_LIVE_PASS))) {
                        rememberExpired(keys, keyOffset, COOKIE_KEY_BYTES);
                        scratch.kind(ConnectionEvent.Kind.CLOSED);
                        directions.resolve(scratch);
                        consumer.accept(scratch);
                        continue;
                    }
                    // connect() has not picked the local port yet: the flow's identity is not complete
                    // (the engine would take the later tuple for another flow), and nothing moved yet
                    if (scratch.localPort() == 0) {
                        continue;
                    }
                    scratch.kind(ConnectionEvent.Kind.UPDATE);
                    directions.resolve(scratch);
                    consumer.accept(scratch);
                }
            });
            deleteExpired(tcpLive, COOKIE_KEY_BYTES);
            readUdp(udpStats, KEY_BYTES, released, nowMonotonic, consumer);
            readUdp(udpOverflow, COOKIE_KEY_BYTES, released, nowMonotonic, consumer);
            releasedUdpSockets.removeAll(released);
        } catch (NativeCallException e) {
            LOG.warn("reading the connection maps failed: {}", e.getMessage());
        }
    }

    /** Reports a UDP map's flows; those of released sockets and idle ones are closed and deleted. */
    private void readUdp(BpfMapEntries map, int keyBytes, Set<Long> released, long nowMonotonic,
            ActiveConnectionConsumer consumer) throws NativeCallException {
        expiredCount = 0;
        map.readAll((keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                long keyOffset = (long) i * keyBytes;
                decoder.decode(keys, keyOffset, values, (long) i * STATS_BYTES, scratch.reset());
                scratch.kind(ConnectionEvent.Kind.UPDATE);
                long idleNanos = nowMonotonic - (scratch.lastUpdateEpochNanos() - monotonicToEpochNanos);
                if (released.contains(scratch.cookie()) || idleNanos > UDP_IDLE_NANOS) {
                    rememberExpired(keys, keyOffset, keyBytes);
                    scratch.kind(ConnectionEvent.Kind.CLOSED);
                }
                directions.resolve(scratch);
                consumer.accept(scratch);
            }
        });
        deleteExpired(map, keyBytes);
    }

    /** Deletes the entries {@link #rememberExpired} collected since {@code expiredCount} was reset. */
    private void deleteExpired(BpfMapEntries map, int keyBytes) throws NativeCallException {
        for (int first = 0; first < expiredCount; first += BATCH_ENTRIES) {
            int count = Math.min(BATCH_ENTRIES, expiredCount - first);
            MemorySegment.copy(MemorySegment.ofArray(expiredKeys), (long) first * keyBytes, deleteKeys, 0,
                    (long) count * keyBytes);
            map.deleteAll(deleteKeys, count);
        }
    }

    /** Every ended flow is deleted after the read, however many end at once. */
    private void rememberExpired(MemorySegment keys, long keyOffset, int keyBytes) {
        if ((expiredCount + 1) * keyBytes > expiredKeys.length) {
            expiredKeys = Arrays.copyOf(expiredKeys, expiredKeys.length * 2);
        }
        MemorySegment.copy(keys, ValueLayout.JAVA_BYTE, keyOffset, expiredKeys, expiredCount * keyBytes, keyBytes);
        expiredCount++;
    }

    @Override
    public boolean readsAllActive() {
        return true;
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> loaded = new LinkedHashMap<>(LibBpf.provenance());
        loaded.put("bpf_object_sha256", variant.objectSha256());
        loaded.put("bpf_program_variant", variant.label() + ": " + variant.reason(KernelVersion.running(), TracingHelpers.runningMissing()));
        return loaded;
    }

    @Override
    public Map<Feature, FeatureStatus> features() {
        Map<Feature, FeatureStatus> features = new EnumMap<>(Feature.class);
        String refresh = livePasses == null
                ? "refreshed at every send and receive by " + variant.hooks()
                : "refreshed at every read by the bpf_sk_storage_map iterator " + LiveTcpIterator.PROGRAM
                        + " (processes named by " + variant.hooks() + ")";
        features.put(Feature.TCP, FeatureStatus.on("tp_btf sock/inet_sock_set_state and tcp/tcp_destroy_sock; "
                + "application bytes from the socket's sequence numbers (send, sendfile, splice, zero-copy), "
                + refresh + " (" + variant.label() + " variant)"));
        String cgroupScope = CgroupMounts.isHierarchyRoot(cgroupRoot) ? ""
                : "; only processes below the cgroup mounted at " + cgroupRoot + ", which is not the hierarchy's root"
                        + " (a container with a private cgroup namespace): run the monitor in the host's cgroup"
                        + " or PID namespace to see every process";
        features.put(Feature.UDP, FeatureStatus.on("cgroup sendmsg/recvmsg hooks (peer before NAT) and "
                + variant.hooks() + " (bytes the application moved)" + cgroupScope));
        features.put(Feature.IPV6, FeatureStatus.on("TCP and UDP over IPv6"));
        features.put(Feature.TCP_RTT, FeatureStatus.on("tcp_sock srtt_us/mdev_us, as tcp_info reports them"));
        features.put(Feature.TCP_RETRANSMITS, FeatureStatus.on("tcp_sock total_retrans"));
        features.put(Feature.TCP_FAILURES, FeatureStatus.on("sk_err when a socket closes; EADDRNOTAVAIL when "
                + "connect finds no local port"));
        features.put(Feature.PROCESS_ID, FeatureStatus.on("connecting process, or first process to send/receive"));
        features.put(Feature.NETWORK_NAMESPACE, FeatureStatus.on("socket's network namespace inode"));
        features.put(Feature.DNS, dns != null
                ? FeatureStatus.on("AF_PACKET ring with a socket filter on DNS ports " + dnsPorts)
                : FeatureStatus.off(dnsProblem));
        return features;
    }

    @Override
    public List<DnsStats> drainDnsStats() {
        return dns == null ? List.of() : dns.drainStats();
    }

    @Override
    public List<String> dnsNames(InetAddress address) {
        return dns == null ? List.of() : dns.namesFor(address);
    }

    @Override
    public synchronized Map<String, Long> telemetry() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(LinuxCounters.RING_BUFFER_DROPPED.name(), kernelCounter(TELEMETRY_RINGBUF_FULL));
        counters.put("kernel_sk_storage_failed", kernelCounter(TELEMETRY_SK_STORAGE_FAILED));
        counters.put("udp_datagrams_dropped", kernelCounter(TELEMETRY_UDP_LOST));
        counters.put(KERNEL_PROGRAM_SKIPS, closed ? 0 : object.recursionMisses());
        counters.put("ring_buffer_handler_failed", closedEvents.handlerFailures());
        counters.put("ring_buffer_malformed_dropped", malformedRecords);
        counters.put("tcp_closes_missed", livePasses == null ? 0 : livePasses.missedCloses());
        counters.put("tcp_connections_tracked", kernelCounter(TELEMETRY_TCP_TRACKED));
        counters.put("tcp_closes_submitted", kernelCounter(TELEMETRY_TCP_CLOSES_SUBMITTED));
        counters.put("tcp_closes_received", tcpClosesReceived);
        counters.put("tcp_live_map_full", kernelCounter(TELEMETRY_TCP_LIVE_FULL));
        counters.put("udp_overflow_map_full", kernelCounter(TELEMETRY_UDP_MAP_FULL));
        counters.put("udp_overflow_peer_limit", kernelCounter(TELEMETRY_UDP_PEER_LIMIT));
        counters.put("udp_overflow_peer_unknown", kernelCounter(TELEMETRY_UDP_PEER_UNKNOWN));
        counters.put("udp_peer_limit_sockets", peerLimitLog.sockets());
        poller.putCounters(counters);
        if (dns != null) {
            counters.putAll(dns.telemetry());
        }
        return counters;
    }

    private long kernelCounter(int slot) {
        if (closed) {
            return 0;
        }
        telemetryKey.set(ValueLayout.JAVA_INT, 0, slot);
        try {
            return telemetryMap.lookup(telemetryKey, telemetryValue) ? telemetryValue.get(ValueLayout.JAVA_LONG, 0) : 0;
        } catch (NativeCallException e) {
            return 0;
        }
    }

    /**
     * Stops the ring-buffer thread and the DNS capture, then closes the BPF object (detaching every
     * program and closing every map, program and link descriptor) and frees the scratch memory.
     * Every step runs even when an earlier one fails, and each is idempotent, so calling this again
     * after a failure finishes what is left.
     *
     * @throws RuntimeException the first failure, with the later ones suppressed
     */
    @Override
    public synchronized void close() {
        running = false;
        closed = true;
        RuntimeException failure = null;
        failure = attempt(failure, () -> poller.stop(RING_POLL_TIMEOUT.toMillis() * 20));
        if (dns != null) {
            failure = attempt(failure, dns::close);
        }
        failure = attempt(failure, object::close);
        failure = attempt(failure, () -> {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        });
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException attempt(RuntimeException earlier, Runnable step) {
        try {
            step.run();
            return earlier;
        } catch (RuntimeException e) {
            if (earlier == null) {
                return e;
            }
            earlier.addSuppressed(e);
            return earlier;
        }
    }
}
