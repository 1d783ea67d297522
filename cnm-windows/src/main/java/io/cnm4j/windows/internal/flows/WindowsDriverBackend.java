package io.cnm4j.windows.internal.flows;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.ConnectionEventSink;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.windows.internal.DriverChannel;
import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.DriverHandle;
import io.cnm4j.windows.internal.IoctlResult;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.dns.DriverDnsCapture;
import io.cnm4j.windows.internal.protocol.DriverStats;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.FlowRecordLayout;
import io.cnm4j.windows.internal.protocol.FlowRecordView;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import io.cnm4j.windows.internal.protocol.Wire;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend over the driver's flow handle: live flows from GET_OPEN_FLOWS at each collection,
 * closed flows from GET_CLOSED_FLOWS at each collection and whenever the driver signals its
 * closed-flows-ready event, DNS from the transport handle ({@link DriverDnsCapture}), driver
 * statistics from GETSTATS. A flow is reported closed once, whichever table shows it and however
 * often ({@link RecentlyClosedFlows}).
 *
 * <p>Concurrency: flow-table reads (collector thread and closed-flow waiter) are serialized by one
 * lock, which also guards the reader's buffer. The backend owns every handle it opened and frees
 * them in {@link #close()}, once.
 */
public final class WindowsDriverBackend implements FlowBackend {
    public static final String FLOW_PATH = "\\\\.\\ddnpm\\flowstatshandle";
    public static final String CLOSED_FLOWS_EVENT = "Global\\DDNPMClosedFlowsReadyEvent";
    /** Driver limits, as Datadog's agent clamps them. */
    public static final int MAX_OPEN_FLOWS = 32_767;
    public static final int MAX_CLOSED_FLOWS = 65_535;

    private static final Logger LOG = LoggerFactory.getLogger(WindowsDriverBackend.class);

    private final DriverChannel channel;
    private final MonitorConfig config;
    private final ConnectionEventSink sink;
    private final DriverVersion version;
    private final DriverHandle flowHandle;
    private final DriverHandle readyEvent;
    private final DriverHandle stopEvent;
    private final DriverDnsCapture dns;
    private final String dnsProblem;
    private final FlowTableReader reader;
    private final FlowEventMapper mapper;
    private final RecentlyClosedFlows recentlyClosed;
    private final ClosedFlowsWaiter waiter;
    private final ConnectionEvent scratch = new ConnectionEvent();
    private final ReentrantLock lock = new ReentrantLock();
    private final Arena statsArena = Arena.ofShared();
    private final MemorySegment statsInput;
    private final MemorySegment statsOutput;
    private final FlowTableReader.RecordHandler openHandler = this::onOpenRecord;
    private final FlowTableReader.RecordHandler closedHandler = this::publishClosed;

    private ActiveConnectionConsumer consumer;
    private Map<String, Long> driverCounters = Map.of();
    private long lingeringSkipped;
    private long duplicateClosedSkipped;
    private long readErrors;
    private long statsErrors;
    private boolean started;
    private boolean closed;

    private WindowsDriverBackend(DriverChannel channel, BackendContext context, DriverVersion version,
            DriverHandle flowHandle, DriverHandle readyEvent, DriverHandle stopEvent, DriverDnsCapture dns,
            String dnsProblem, DriverTimestamps timestamps) {
        this.channel = channel;
        this.config = context.config();
        this.sink = context.events();
        this.version = version;
        this.flowHandle = flowHandle;
        this.readyEvent = readyEvent;
        this.stopEvent = stopEvent;
        this.dns = dns;
        this.dnsProblem = dnsProblem;
        this.reader = new FlowTableReader(channel, flowHandle.value(), FlowRecordLayout.of(version));
        this.mapper = new FlowEventMapper(timestamps, false);
        this.recentlyClosed = new RecentlyClosedFlows(2 * closedLimit(config));
        this.waiter = new ClosedFlowsWaiter(channel, stopEvent.value(), readyEvent.value(), this::readClosedTable);
        this.statsInput = statsArena.allocate(8, 8);
        statsInput.set(Wire.U64, 0, version.signature());
        this.statsOutput = statsArena.allocate(version.statsSize(), 8);
    }

    /**
     * Opens the flow handle, installs the flow filters (offering the newest signature first),
     * sets the table limits, opens the closed-flows event and, when DNS is enabled, the DNS capture.
     *
     * @param fixedUnit the flow timestamp unit, or null to detect it
     * @param epochNanos the wall clock in nanoseconds since the epoch
     * @throws DriverException when the driver cannot be opened or refuses the setup
     */
    public static WindowsDriverBackend open(BackendContext context, DriverChannel channel,
            DriverTimestamps.Unit fixedUnit, LongSupplier epochNanos) {
        MonitorConfig config = context.config();
        DriverHandle flow = new DriverHandle(channel, channel.createFile(FLOW_PATH, false), "flow");
        DriverHandle ready = null;
        DriverHandle stop = null;
        DriverDnsCapture dns = null;
        try {
            DriverVersion version = FlowFilterSetup.install(channel, flow.value(), config);
            FlowFilterSetup.setLimit(channel, flow.value(), IoctlCode.SET_MAX_OPEN_FLOWS,
                    Math.min(MAX_OPEN_FLOWS, config.maxTrackedConnections()));
            FlowFilterSetup.setLimit(channel, flow.value(), IoctlCode.SET_MAX_CLOSED_FLOWS, closedLimit(config));
            FlowFilterSetup.setLimit(channel, flow.value(), IoctlCode.SET_CLOSED_FLOWS_NOTIFY, closedLimit(config) / 2);
            // The driver opens this event when the flow handle is created: ERROR_ALREADY_EXISTS is normal.
            ready = new DriverHandle(channel, channel.createEvent(CLOSED_FLOWS_EVENT, true), "closed-flows event");
            stop = new DriverHandle(channel, channel.createEvent(null, true), "stop event");
            String dnsProblem = "disabled by configuration (dns_enabled=false)";
            if (config.dnsEnabled()) {
                try {
                    dns = DriverDnsCapture.open(channel, version, config, epochNanos);
                } catch (DriverException e) {
                    dnsProblem = "the driver's transport handle could not be set up: " + e.getMessage();
                    LOG.warn("Windows DNS capture unavailable: {}", e.getMessage());
                }
            }
            DriverTimestamps timestamps = new DriverTimestamps(channel.tickCount64(), epochNanos.getAsLong(),
                    fixedUnit);
            LOG.info("ddnpm driver attached with structure version 0x{}", Integer.toHexString(version.number()));
            return new WindowsDriverBackend(channel, context, version, flow, ready, stop, dns, dnsProblem, timestamps);
        } catch (RuntimeException e) {
            if (dns != null) {
                dns.close();
            }
            if (stop != null) {
                stop.close();
            }
            if (ready != null) {
                ready.close();
            }
            flow.close();
            throw e;
        }
    }

    private static int closedLimit(MonitorConfig config) {
        return Math.min(MAX_CLOSED_FLOWS, config.closedBufferSize());
    }

    /** The structure version the driver accepted. */
    public DriverVersion version() {
        return version;
    }

    @Override
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        waiter.start();
        if (dns != null) {
            dns.start();
        }
    }

    @Override
    public void readActive(ActiveConnectionConsumer active) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            readStats();
            consumer = active;
            reader.read(IoctlCode.GET_OPEN_FLOWS, openHandler);
            reader.read(IoctlCode.GET_CLOSED_FLOWS, closedHandler);
        } catch (DriverException e) {
            countReadError(e);
        } finally {
            consumer = null;
            lock.unlock();
        }
    }

    @Override
    public boolean readsAllActive() {
        return true;
    }

    /** Reads the closed table now (the closed-flow waiter calls this when the driver signals). */
    void readClosedTable() {
        lock.lock();
        try {
            if (!closed) {
                reader.read(IoctlCode.GET_CLOSED_FLOWS, closedHandler);
            }
        } catch (DriverException e) {
            countReadError(e);
        } finally {
            lock.unlock();
        }
    }

    private void onOpenRecord(FlowRecordView record) {
        if (FlowEventMapper.isClosed(record)) {
            publishClosed(record);
            return;
        }
        if (recentlyClosed.contains(record.flowCookie())) {
            // Already reported closed; the driver still lists it as open (WINA-2711).
            lingeringSkipped++;
            return;
        }
        consumer.accept(mapper.fill(record, scratch));
    }

    private void publishClosed(FlowRecordView record) {
        long id = record.flowCookie();
        if (recentlyClosed.contains(id)) {
            duplicateClosedSkipped++;
            return;
        }
        ConnectionEvent event = sink.claim();
        if (event == null) {
            return;
        }
        mapper.fill(record, event).kind(ConnectionEvent.Kind.CLOSED);
        sink.publish(event);
        recentlyClosed.add(id);
    }

    private void readStats() {
        IoctlResult result = channel.deviceIoControl(flowHandle.value(), IoctlCode.GETSTATS.code(), statsInput,
                statsOutput);
        if (result.error() == Win32Error.SUCCESS && result.bytesReturned() >= version.statsSize()) {
            driverCounters = DriverStats.decode(version, statsOutput, result.bytesReturned(), false);
        } else {
            statsErrors++;
        }
    }

    private void countReadError(DriverException e) {
        readErrors++;
        if (readErrors == 1 || readErrors % 100 == 0) {
            LOG.warn("reading the driver's flow table failed ({} failures so far): {}", readErrors, e.getMessage());
        }
    }

    @Override
    public Map<Feature, FeatureStatus> features() {
        Map<Feature, FeatureStatus> features = new EnumMap<>(Feature.class);
        features.put(Feature.TCP, config.collectTcp()
                ? FeatureStatus.on("ddnpm flow table (SET_FLOW_FILTER TCP)") : FeatureStatus.off("collect_tcp=false"));
        features.put(Feature.UDP, config.collectUdp()
                ? FeatureStatus.on("ddnpm flow table (SET_FLOW_FILTER UDP)") : FeatureStatus.off("collect_udp=false"));
        features.put(Feature.IPV6, config.collectIpv6()
                ? FeatureStatus.on("TCP and UDP flows over IPv6 (DNS is captured over IPv4 only)")
                : FeatureStatus.off("collect_ipv6=false"));
        features.put(Feature.TCP_RTT, FeatureStatus.on("driver sRTT and rttVariance, taken as microseconds (not verified)"));
        features.put(Feature.TCP_RETRANSMITS, FeatureStatus.on("driver retransmitCount"));
        features.put(Feature.TCP_FAILURES, version == DriverVersion.V14
                ? FeatureStatus.off("driver structure version 0x14 reports no connection status")
                : FeatureStatus.on("driver connectionStatus: refused 111, timeout 110, reset 104"));
        features.put(Feature.PROCESS_ID, FeatureStatus.on("driver processId of the flow's owner"));
        features.put(Feature.NETWORK_NAMESPACE, FeatureStatus.off("Windows has no network namespaces; netns is 0"));
        features.put(Feature.DNS, dns != null
                ? FeatureStatus.on("driver transport handle, IPv4 with remote port 53 (UDP and TCP); no DNS over IPv6")
                : FeatureStatus.off(dnsProblem));
        features.put(Feature.NAT, FeatureStatus.off("the driver reports no NAT translation"));
        return features;
    }

    @Override
    public Map<String, Long> telemetry() {
        Map<String, Long> counters = new LinkedHashMap<>();
        lock.lock();
        try {
            counters.putAll(reader.telemetry());
            counters.put("driver_lingering_flows_skipped", lingeringSkipped);
            counters.put("driver_closed_duplicates_skipped", duplicateClosedSkipped);
            counters.put("driver_read_errors", readErrors);
            counters.put("driver_stats_errors", statsErrors);
            counters.putAll(driverCounters);
        } finally {
            lock.unlock();
        }
        counters.put("driver_closed_flow_wakeups", waiter.wakeups());
        counters.put("driver_closed_flow_wait_failures", waiter.waitFailures());
        if (dns != null) {
            counters.putAll(dns.telemetry());
        }
        return counters;
    }

    @Override
    public List<DnsStats> drainDnsStats() {
        return dns != null ? dns.drainStats() : List.of();
    }

    @Override
    public List<String> dnsNames(InetAddress address) {
        return dns != null ? dns.namesFor(address) : List.of();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        boolean waiterStopped = !started || waiter.stop();
        if (dns != null) {
            dns.close();
        }
        lock.lock();
        try {
            closed = true;
            reader.close();
            statsArena.close();
        } finally {
            lock.unlock();
        }
        if (!waiterStopped) {
            LOG.warn("the closed-flow waiter did not stop; leaving its event handles open");
        } else {
            readyEvent.close();
            stopEvent.close();
        }
        flowHandle.close();
    }
}
