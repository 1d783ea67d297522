package io.cnm4j.windows.internal.dns;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.dns.internal.DnsTrafficProcessor;
import io.cnm4j.dns.internal.IpPacketDecoder;
import io.cnm4j.windows.internal.CompletionStatus;
import io.cnm4j.windows.internal.DriverChannel;
import io.cnm4j.windows.internal.DriverException;
import io.cnm4j.windows.internal.DriverHandle;
import io.cnm4j.windows.internal.IoctlResult;
import io.cnm4j.windows.internal.Win32Error;
import io.cnm4j.windows.internal.protocol.DriverStats;
import io.cnm4j.windows.internal.protocol.DriverVersion;
import io.cnm4j.windows.internal.protocol.FilterDefinition;
import io.cnm4j.windows.internal.protocol.IoctlCode;
import io.cnm4j.windows.internal.protocol.PacketHeaderView;
import io.cnm4j.windows.internal.protocol.Wire;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures the host's IPv4 DNS traffic through the driver's transport handle: two SET_DATA_FILTER
 * calls (remote port 53, outbound and inbound) on the overlapped handle before it is tied to a
 * completion port, then {@link #READ_BUFFERS} overlapped reads kept pending in native memory. Each
 * completion holds one packet: a {@code PACKET_HEADER}, then the packet from its IPv4 header, which
 * is decoded and handed to a {@link DnsTrafficProcessor}; the read is then issued again.
 *
 * <p>Once the handle is tied to the port, an IOCTL on it never passes a null OVERLAPPED (WINA-2669:
 * it can hang); the transport statistics are read with {@link DriverChannel#deviceIoControlWithEvent}.
 *
 * <p>Concurrency: {@link #pollOnce} runs on the capture thread only ({@code cnm4j-windows-dns});
 * {@link #drainStats}, {@link #namesFor} and {@link #telemetry} are safe from any thread. The
 * capture owns its handles and buffers; {@link #close()} cancels the reads, waits for them to come
 * back and frees everything, once.
 */
public final class DriverDnsCapture implements AutoCloseable {
    public static final String TRANSPORT_PATH = "\\\\.\\ddnpm\\transporthandle";
    public static final int READ_BUFFERS = 100;
    public static final int READ_SIZE = 1500;
    /** {@code OVERLAPPED} on 64-bit Windows: Internal, InternalHigh, Offset/OffsetHigh, hEvent. */
    public static final int OVERLAPPED_SIZE = 32;
    /** One read slot: the OVERLAPPED, then the data buffer, padded to 8 bytes. */
    public static final int SLOT_SIZE = (OVERLAPPED_SIZE + READ_SIZE + 7) & ~7;

    private static final Logger LOG = LoggerFactory.getLogger(DriverDnsCapture.class);
    private static final int POLL_MILLIS = 100;
    private static final long TICK_NANOS = 1_000_000_000L;
    private static final long CANCEL_WAIT_MILLIS = 2_000;

    private final DriverChannel channel;
    private final DriverVersion version;
    private final DriverHandle device;
    private final DriverHandle port;
    private final Arena arena;
    private final MemorySegment slab;
    private final MemorySegment[] overlapped = new MemorySegment[READ_BUFFERS];
    private final MemorySegment[] data = new MemorySegment[READ_BUFFERS];
    private final boolean[] pending = new boolean[READ_BUFFERS];
    private final MemorySegment statsInput;
    private final MemorySegment statsOutput;
    private final DnsTrafficProcessor processor;
    private final IpPacketDecoder decoder;
    private final PacketHeaderView header = new PacketHeaderView();
    private final CompletionStatus completion = new CompletionStatus();
    private final byte[] packet = new byte[READ_SIZE];
    private final LongSupplier epochNanos;
    private final Thread thread;
    private final DnsCaptureCounters counters = new DnsCaptureCounters();

    private volatile boolean running;
    private volatile Map<String, Long> published;
    private Map<String, Long> driverCounters = Map.of();
    private int outstanding;
    /** Set before CancelIoEx: a read completing now must not be issued again, or it would outlive the close. */
    private boolean cancelling;
    private boolean started;
    private boolean closed;

    private DriverDnsCapture(DriverChannel channel, DriverVersion version, DriverHandle device, DriverHandle port,
            MonitorConfig config, LongSupplier epochNanos) {
        this.channel = channel;
        this.version = version;
        this.device = device;
        this.port = port;
        this.epochNanos = epochNanos;
        this.arena = Arena.ofShared();
        this.slab = arena.allocate((long) SLOT_SIZE * READ_BUFFERS, 8);
        for (int i = 0; i < READ_BUFFERS; i++) {
            overlapped[i] = slab.asSlice((long) i * SLOT_SIZE, OVERLAPPED_SIZE);
            data[i] = slab.asSlice((long) i * SLOT_SIZE + OVERLAPPED_SIZE, READ_SIZE);
        }
        this.statsInput = arena.allocate(8, 8);
        statsInput.set(Wire.U64, 0, version.signature());
        this.statsOutput = arena.allocate(version.statsSize(), 8);
        this.processor = DnsTrafficProcessor.create(config);
        this.decoder = new IpPacketDecoder(config.dnsPorts(), config.dnsCollectLocal());
        this.thread = Thread.ofPlatform().daemon().name("cnm4j-windows-dns").unstarted(this::run);
        this.published = snapshot();
    }

    /**
     * Opens the transport handle, installs the two DNS filters and queues every read.
     *
     * @param epochNanos the wall clock in nanoseconds since the epoch (the packet headers' clock)
     * @throws DriverException when the handle, a filter or the port cannot be set up
     */
    public static DriverDnsCapture open(DriverChannel channel, DriverVersion version, MonitorConfig config,
            LongSupplier epochNanos) {
        DriverHandle device = new DriverHandle(channel, channel.createFile(TRANSPORT_PATH, true), "transport");
        DriverHandle port = null;
        try {
            try (Arena setup = Arena.ofConfined()) {
                MemorySegment filter = setup.allocate(version.filterSize(), 8);
                MemorySegment filterId = setup.allocate(8, 8);
                for (int direction : new int[] {FilterDefinition.OUTBOUND, FilterDefinition.INBOUND}) {
                    FilterDefinition.dns(direction).encode(version, filter);
                    // Synchronous on purpose: the handle is not tied to the completion port yet.
                    IoctlResult result = channel.deviceIoControl(device.value(), IoctlCode.SET_DATA_FILTER.code(),
                            filter, filterId);
                    if (result.error() != Win32Error.SUCCESS) {
                        throw new DriverException("DeviceIoControl(SET_DATA_FILTER)", result.error());
                    }
                }
            }
            port = new DriverHandle(channel, channel.createIoCompletionPort(device.value()), "completion port");
            DriverDnsCapture capture = new DriverDnsCapture(channel, version, device, port, config, epochNanos);
            capture.armAll();
            return capture;
        } catch (RuntimeException e) {
            if (port != null) {
                port.close();
            }
            device.close();
            throw e;
        }
    }

    private void armAll() {
        for (int slot = 0; slot < READ_BUFFERS; slot++) {
            arm(slot);
        }
    }

    private void arm(int slot) {
        overlapped[slot].fill((byte) 0);
        int error = channel.readFile(device.value(), data[slot], overlapped[slot]);
        if (error == Win32Error.SUCCESS || error == Win32Error.IO_PENDING) {
            // With a completion port, even a read that completes at once is queued to the port.
            pending[slot] = true;
            outstanding++;
        } else {
            counters.readsFailed++;
        }
    }

    /** Starts the capture thread; calling it again has no effect. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        running = true;
        thread.start();
    }

    /**
     * Waits up to {@code timeoutMillis} for one completed read and handles it. Capture thread only.
     *
     * @return true when a read completed
     * @throws DriverException when the completion port itself fails
     */
    public boolean pollOnce(int timeoutMillis) {
        channel.getQueuedCompletionStatus(port.value(), timeoutMillis, completion);
        long address = completion.overlappedAddress();
        if (address == 0) {
            if (completion.error() == Win32Error.WAIT_TIMEOUT) {
                return false;
            }
            throw new DriverException("GetQueuedCompletionStatus", completion.error());
        }
        int slot = slotOf(address);
        if (slot < 0) {
            counters.unknownCompletions++;
            return true;
        }
        pending[slot] = false;
        outstanding--;
        int error = completion.error();
        if (error == Win32Error.OPERATION_ABORTED) {
            counters.readsCancelled++;
            return true;
        }
        if (error == Win32Error.SUCCESS || error == Win32Error.MORE_DATA || error == Win32Error.INSUFFICIENT_BUFFER) {
            handle(data[slot], completion.bytesTransferred());
        } else {
            counters.readErrors++;
        }
        if (!cancelling) {
            arm(slot);
        }
        return true;
    }

    private int slotOf(long address) {
        long offset = address - slab.address();
        if (offset < 0 || offset >= slab.byteSize() || offset % SLOT_SIZE != 0) {
            return -1;
        }
        int slot = (int) (offset / SLOT_SIZE);
        return pending[slot] ? slot : -1;
    }

    private void handle(MemorySegment buffer, long bytes) {
        counters.packetsReceived++;
        if (bytes < PacketHeaderView.SIZE || bytes > READ_SIZE) {
            counters.badHeaders++;
            return;
        }
        header.wrap(buffer, 0);
        long headerSize = header.headerSize();
        if (header.filterVersion() != version.signature() || headerSize < PacketHeaderView.SIZE || headerSize > bytes) {
            counters.badHeaders++;
            return;
        }
        counters.skippedByDriver += header.skippedSinceLast();
        if (header.addressFamily() != Wire.AF_INET) {
            counters.notIpv4++;
            return;
        }
        long captured = bytes - headerSize;
        int length = (int) (Long.compareUnsigned(header.packetSize(), captured) < 0 ? header.packetSize() : captured);
        MemorySegment.copy(buffer, Wire.U8, headerSize, packet, 0, length);
        long timestamp = header.timestampEpochNanos();
        try {
            switch (decoder.decode(packet, length)) {
                case DNS_UDP -> processor.onUdpPayload(decoder.flow(), packet, decoder.payloadOffset(),
                        decoder.payloadLength(), timestamp);
                case DNS_TCP -> processor.onTcpSegment(decoder.flow(), decoder.tcpSequence(), decoder.tcpFlags(), packet,
                        decoder.payloadOffset(), decoder.payloadLength(), timestamp);
                case NOT_DNS -> counters.notDns++;
                case LOCAL_IGNORED -> counters.localIgnored++;
                case FRAGMENT -> counters.fragments++;
                case TRUNCATED -> counters.truncated++;
                case MALFORMED -> counters.malformed++;
            }
        } catch (RuntimeException e) {
            // A processing bug must not end the capture: count it, log the first ones.
            if (counters.processingErrors++ < 10) {
                LOG.warn("DNS packet from the driver could not be processed", e);
            }
        }
    }

    /** Expires unanswered queries, reads the transport statistics and publishes the telemetry. Capture thread only. */
    public void tick() {
        processor.expire(epochNanos.getAsLong());
        IoctlResult result = channel.deviceIoControlWithEvent(device.value(), IoctlCode.GETSTATS.code(), statsInput,
                statsOutput);
        if (result.error() == Win32Error.SUCCESS && result.bytesReturned() >= version.statsSize()) {
            driverCounters = DriverStats.decode(version, statsOutput, result.bytesReturned(), true);
        } else {
            counters.statsErrors++;
        }
        published = snapshot();
    }

    private void run() {
        long nextTick = System.nanoTime() + TICK_NANOS;
        try {
            while (running) {
                pollOnce(POLL_MILLIS);
                if (System.nanoTime() - nextTick >= 0) {
                    tick();
                    nextTick = System.nanoTime() + TICK_NANOS;
                }
            }
        } catch (DriverException e) {
            LOG.error("Windows DNS capture stopped: {}", e.getMessage());
            counters.captureErrors++;
        }
        published = snapshot();
    }

    /** Statistics completed since the previous call. */
    public List<DnsStats> drainStats() {
        return processor.statsKeeper().drain();
    }

    /** Names that resolved the address in captured answers, most recent first. */
    public List<String> namesFor(InetAddress address) {
        return processor.reverseDnsCache().namesFor(address);
    }

    /** Totals since start, as of the last tick of the capture thread. */
    public Map<String, Long> telemetry() {
        return published;
    }

    /** Reads still queued in the driver. */
    public int outstandingReads() {
        return outstanding;
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> all = new TreeMap<>(processor.telemetry());
        counters.putInto(all);
        all.putAll(driverCounters);
        return Collections.unmodifiableMap(all);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        if (started) {
            try {
                thread.join(CANCEL_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("Windows DNS capture thread did not stop; leaving its handles and buffers allocated");
                return;
            }
        }
        cancelling = true;
        channel.cancelIoEx(device.value());
        long deadline = System.nanoTime() + CANCEL_WAIT_MILLIS * 1_000_000L;
        try {
            while (outstanding > 0 && System.nanoTime() - deadline < 0) {
                pollOnce(POLL_MILLIS);
            }
        } catch (DriverException e) {
            LOG.warn("draining cancelled DNS reads failed: {}", e.getMessage());
        }
        port.close();
        device.close();
        if (outstanding == 0) {
            arena.close();
        } else {
            // The driver may still write into buffers it holds: freeing them could corrupt memory.
            LOG.warn("{} DNS reads did not return after cancellation; leaving their buffers allocated", outstanding);
        }
        published = snapshot();
    }
}
