package io.cnm4j.linux.internal;

import static io.cnm4j.linux.internal.ConnRecordLayout.*;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.Family;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.Telemetry;
import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.linux.internal.dns.DnsCapture;
import io.cnm4j.linux.internal.dns.PacketSocketException;
import io.cnm4j.linux.internal.libbpf.BpfException;
import io.cnm4j.linux.internal.libbpf.BpfHashMap;
import io.cnm4j.linux.internal.libbpf.BpfObject;
import io.cnm4j.linux.internal.libbpf.LibBpf;
import io.cnm4j.linux.internal.libbpf.RingBufferReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eBPF backend: loads {@code cnm_conn.bpf.o}, attaches its tracepoint and cgroup programs,
 * turns ring-buffer close events into {@link ConnectionEvent}s on a polling thread, and reads
 * the live-connection map in batches at every collection.
 *
 * <p>Owns the BPF object (and through it every program, map, link and the ring buffer) and the
 * DNS packet capture; all of them are freed by {@link #close()}.
 */
public final class EbpfBackend implements FlowBackend {
    private static final Logger LOG = LoggerFactory.getLogger(EbpfBackend.class);
    private static final int BATCH_ENTRIES = 1024;
    private static final Duration RING_POLL_TIMEOUT = Duration.ofMillis(50);
    /** UDP has no close handshake: a peer silent this long is reported closed (conntrack's UDP timeout). */
    private static final long UDP_IDLE_NANOS = Duration.ofSeconds(30).toNanos();
    /**
     * A TCP entry idle this long whose socket is no longer alive in this namespace lost its close
     * (a rare case where the kernel ran neither close hook); it is then reported closed.
     */
    private static final long TCP_SWEEP_IDLE_NANOS = Duration.ofSeconds(5).toNanos();

    /**
     * Hook invocations the kernel skipped because the program was already running on that CPU;
     * each may have lost bytes or a close, so it counts as loss.
     */
    static final String KERNEL_PROGRAM_SKIPS = "kernel_program_skips_dropped";

    private final ConnectionEventSink sink;
    private final BpfObject object;
    private final BpfHashMap connections;
    private final BpfHashMap telemetryMap;
    private final RingBufferReader closedEvents;
    private final ConnRecordDecoder decoder;
    private final DirectionResolver directions = new DirectionResolver();
    private final Path cgroupRoot;
    /** Null when DNS statistics are off or the packet socket could not be opened ({@link #dnsProblem}). */
    private final DnsCapture dns;
    private final String dnsProblem;
    private final Set<Integer> dnsPorts;
    private final ConnectionEvent scratch = new ConnectionEvent();
    private final Set<Long> releasedUdpSockets = ConcurrentHashMap.newKeySet();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment expiredKeys;
    private final MemorySegment telemetryKey;
    private final MemorySegment telemetryValue;
    private final long monotonicToEpochNanos;
    private int expiredCount;
    private final long ownNetns = ownNetworkNamespace();
    private LiveTcpTuples liveTcp;
    private long lastSweepNanos = System.nanoTime();
    private long tcpClosesRecovered;
    private volatile boolean running;
    private Thread poller;
    private boolean closed;

    private EbpfBackend(BackendContext context, BpfObject object, Path cgroupRoot, DnsCapture dns, String dnsProblem)
            throws BpfException {
        this.sink = context.events();
        this.object = object;
        this.cgroupRoot = cgroupRoot;
        this.dns = dns;
        this.dnsProblem = dnsProblem;
        this.dnsPorts = context.config().dnsPorts();
        Instant now = Instant.now();
        this.monotonicToEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
        this.decoder = new ConnRecordDecoder(monotonicToEpochNanos);
        this.connections = object.openHashMap("conn_stats", BATCH_ENTRIES);
        this.telemetryMap = object.openHashMap("telemetry", 1);
        this.closedEvents = object.openRingBuffer("closed_events", this::onClosedRecord);
        this.expiredKeys = arena.allocate((long) KEY_BYTES * BATCH_ENTRIES, Long.BYTES);
        this.telemetryKey = arena.allocate(ValueLayout.JAVA_INT);
        this.telemetryValue = arena.allocate(ValueLayout.JAVA_LONG);
    }

    /**
     * Opens and loads the BPF object with the configured map sizes; nothing is attached yet.
     *
     * @throws IllegalStateException with libbpf's reason when loading fails
     * @throws io.cnm4j.core.BackendUnavailableException when the BPF object fails its integrity check
     */
    public static EbpfBackend open(BackendContext context) {
        MonitorConfig config = context.config();
        byte[] objectBytes = BpfObjectResource.cnmConnBytes();
        Path cgroupRoot = CgroupMounts.cgroup2().orElseThrow(() -> new IllegalStateException("cgroup v2 is not mounted"));
        BpfObject object = null;
        DnsCapture dns = null;
        String dnsProblem = "DNS statistics are switched off (dns_enabled)";
        try {
            object = BpfObject.open("cnm_conn", objectBytes);
            object.map("conn_stats").setMaxEntries(config.maxTrackedConnections());
            object.load();
            if (config.dnsEnabled()) {
                try {
                    dns = DnsCapture.open(config);
                    dnsProblem = null;
                } catch (PacketSocketException e) {
                    dnsProblem = "DNS packet capture unavailable: " + e.getMessage();
                    LOG.warn("{}; connections are still captured", dnsProblem);
                }
            }
            return new EbpfBackend(context, object, cgroupRoot, dns, dnsProblem);
        } catch (BpfException | RuntimeException e) {
            if (dns != null) {
                dns.close();
            }
            if (object != null) {
                object.close();
            }
            throw new IllegalStateException("eBPF backend could not load: " + e.getMessage(), e);
        }
    }

    @Override
    public void start() {
        try {
            object.attachAll(cgroupRoot);
        } catch (BpfException e) {
            throw new IllegalStateException("eBPF backend could not attach: " + e.getMessage(), e);
        }
        if (dns != null) {
            dns.start();
        }
        running = true;
        poller = new Thread(this::pollClosedEvents, "cnm4j-ebpf-ringbuf");
        poller.setDaemon(true);
        poller.start();
    }

    private void pollClosedEvents() {
        while (running) {
            try {
                // The kernel side submits without wakeups until the ring is a quarter full, so
                // records that arrived during the wait are consumed explicitly.
                closedEvents.poll(RING_POLL_TIMEOUT);
                closedEvents.consume();
            } catch (BpfException e) {
                if (running) {
                    LOG.error("polling the closed-connection ring buffer failed; stopping", e);
                }
                return;
            }
        }
    }

    /** Ring-buffer thread: one closed TCP connection or UDP peer, or a released UDP socket. */
    private void onClosedRecord(MemorySegment memory, long offset, int length) {
        if (length < EVENT_BYTES) {
            return;
        }
        int kind = memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + EVENT_KIND);
        if (kind == EVENT_UDP_RELEASED) {
            releasedUdpSockets.add(memory.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + EVENT_KEY + KEY_COOKIE));
            return;
        }
        ConnectionEvent event = sink.claim();
        if (event == null) {
            return;
        }
        decoder.decode(memory, offset + EVENT_KEY, memory, offset + EVENT_STATS, event);
        event.kind(ConnectionEvent.Kind.CLOSED)
                .failureErrno(memory.get(ValueLayout.JAVA_INT_UNALIGNED, offset + EVENT_FAILURE_ERRNO));
        directions.resolve(event);
        sink.publish(event);
    }

    @Override
    public void readActive(ActiveConnectionConsumer consumer) {
        if (!running) {
            return;
        }
        directions.refresh();
        long nowMonotonic = System.nanoTime();
        expiredCount = 0;
        liveTcp = null;
        if (nowMonotonic - lastSweepNanos > TCP_SWEEP_IDLE_NANOS) {
            lastSweepNanos = nowMonotonic;
            liveTcp = LiveTcpTuples.read();
        }
        try {
            connections.readAll((keys, values, count) -> {
                for (int i = 0; i < count; i++) {
                    long keyOffset = (long) i * KEY_BYTES;
                    long valueOffset = (long) i * STATS_BYTES;
                    decoder.decode(keys, keyOffset, values, valueOffset, scratch.reset());
                    scratch.kind(ConnectionEvent.Kind.UPDATE);
                    if ((scratch.protocol() == Protocol.UDP ? udpEnded(scratch, nowMonotonic)
                            : tcpCloseMissed(scratch, nowMonotonic)) && expiredCount < BATCH_ENTRIES) {
                        MemorySegment.copy(keys, keyOffset, expiredKeys, (long) expiredCount * KEY_BYTES, KEY_BYTES);
                        expiredCount++;
                        scratch.kind(ConnectionEvent.Kind.CLOSED);
                    }
                    directions.resolve(scratch);
                    consumer.accept(scratch);
                }
            });
            if (expiredCount > 0) {
                connections.deleteAll(expiredKeys, expiredCount);
            }
        } catch (BpfException e) {
            LOG.warn("reading the connection map failed: {}", e.getMessage());
        }
    }

    private boolean tcpCloseMissed(ConnectionEvent event, long nowMonotonic) {
        long lastUpdateMonotonic = event.lastUpdateEpochNanos() - monotonicToEpochNanos;
        if (liveTcp == null || event.netns() != ownNetns || nowMonotonic - lastUpdateMonotonic < TCP_SWEEP_IDLE_NANOS) {
            return false;
        }
        int length = event.family() == Family.V4 ? 4 : 16;
        boolean missed = !liveTcp.contains(event.localAddress(), length, event.localPort(), event.remoteAddress(),
                length, event.remotePort());
        if (missed) {
            tcpClosesRecovered++;
        }
        return missed;
    }

    private static long ownNetworkNamespace() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private boolean udpEnded(ConnectionEvent event, long nowMonotonic) {
        long lastUpdateMonotonic = event.lastUpdateEpochNanos() - monotonicToEpochNanos;
        return releasedUdpSockets.contains(event.cookie()) || nowMonotonic - lastUpdateMonotonic > UDP_IDLE_NANOS;
    }

    @Override
    public boolean readsAllActive() {
        return true;
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> loaded = new LinkedHashMap<>(LibBpf.provenance());
        loaded.put("bpf_object_sha256", BpfObjectResource.cnmConnSha256());
        return loaded;
    }

    @Override
    public Map<Feature, FeatureStatus> features() {
        Map<Feature, FeatureStatus> features = new EnumMap<>(Feature.class);
        features.put(Feature.TCP, FeatureStatus.on("tp_btf sock/inet_sock_set_state, sock_send_length, sock_recv_length"));
        features.put(Feature.UDP, FeatureStatus.on("cgroup_skb ingress/egress on the cgroup v2 root"));
        features.put(Feature.IPV6, FeatureStatus.on("TCP and UDP over IPv6"));
        features.put(Feature.TCP_RTT, FeatureStatus.on("tcp_sock srtt_us/mdev_us, as tcp_info reports them"));
        features.put(Feature.TCP_RETRANSMITS, FeatureStatus.on("tcp_sock total_retrans"));
        features.put(Feature.TCP_FAILURES, FeatureStatus.on("sk_err when a socket closes"));
        features.put(Feature.PROCESS_ID, FeatureStatus.on("connecting process, or first process to send/receive"));
        features.put(Feature.NETWORK_NAMESPACE, FeatureStatus.on("socket's network namespace inode"));
        features.put(Feature.DNS, dns != null
                ? FeatureStatus.on("AF_PACKET ring with a socket filter on DNS ports " + dnsPorts)
                : FeatureStatus.off(dnsProblem));
        features.put(Feature.NAT, FeatureStatus.off("conntrack NAT resolution is not implemented yet"));
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
    public Map<String, Long> telemetry() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(Telemetry.KERNEL_MAP_INSERT_FAILED, kernelCounter(TELEMETRY_CONN_INSERT_FAILED));
        counters.put(Telemetry.RING_BUFFER_DROPPED, kernelCounter(TELEMETRY_RINGBUF_FULL));
        counters.put("kernel_sk_storage_failed", kernelCounter(TELEMETRY_SK_STORAGE_FAILED));
        counters.put("kernel_udp_unparsed", kernelCounter(TELEMETRY_UDP_UNPARSED));
        counters.put("kernel_tcp_late_entry", kernelCounter(TELEMETRY_TCP_LATE_ENTRY));
        counters.put(KERNEL_PROGRAM_SKIPS, closed ? 0 : object.recursionMisses());
        counters.put("tcp_closes_recovered", tcpClosesRecovered);
        counters.put("ring_buffer_handler_failed", closedEvents.handlerFailures());
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
        } catch (BpfException e) {
            return 0;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        running = false;
        if (poller != null) {
            try {
                poller.join(RING_POLL_TIMEOUT.toMillis() * 20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        if (dns != null) {
            dns.close();
        }
        closedEvents.close();
        connections.close();
        telemetryMap.close();
        object.close();
        arena.close();
    }
}
