package io.cnm4j.linux.internal.dns;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.internal.LogText;
import io.cnm4j.core.internal.WorkerRunner;
import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.dns.internal.DnsTrafficProcessor;
import io.cnm4j.dns.internal.IpPacketDecoder;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures DNS with a filtered {@link PacketSocket} on every interface of the current network
 * namespace and hands each DNS payload to a {@link DnsTrafficProcessor}.
 *
 * <p>A {@link WorkerRunner} thread ({@code cnm4j-dns-capture}) receives packets, decodes their IP
 * and transport headers ({@link IpPacketDecoder}), and about once per second expires unanswered
 * queries, reads the kernel's packet counters and publishes the telemetry. Packets are stamped by the kernel
 * ({@code CLOCK_REALTIME}), so latencies do not include the time a packet waited in the ring; the
 * ring hands packets over in blocks, at the latest {@link PacketSocket#BLOCK_TIMEOUT_MILLIS} after
 * they arrived, so expiry lags twice that behind the clock.
 *
 * <p>Each loopback packet passes the packet socket twice; the socket filter keeps only the
 * incoming copy. With local DNS collection off, packets between two loopback addresses are
 * ignored (and counted).
 *
 * <p>Concurrency: {@link #drainStats()}, {@link #namesFor} and {@link #telemetry()} are safe from any
 * thread; the processor, decoder and socket are touched only by the capture thread (and by
 * {@link #close()} after that thread has stopped).
 */
final class PacketSocketDnsCapture implements DnsCapture {
    private static final Logger LOG = LoggerFactory.getLogger(PacketSocketDnsCapture.class);
    private static final int POLL_MILLIS = 100;
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STOP_WAIT_MILLIS = 5_000;
    /** Failed socket reads in a row (with backoff up to 1 s between them) after which capture gives up. */
    private static final int MAX_CONSECUTIVE_FAILURES = 10;
    private static final String CAPTURE_ERRORS = "dns_capture_errors";
    private static final long EXPIRY_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(2L * PacketSocket.BLOCK_TIMEOUT_MILLIS);

    private final PacketSocket socket;
    private final DnsTrafficProcessor processor;
    private final IpPacketDecoder decoder;
    private final CapturedPacket packet = new CapturedPacket(PacketSocket.MAX_PACKET);
    private final WorkerRunner worker;
    private final long[] kernelReading = new long[3];

    private volatile Map<String, Long> published;
    private boolean started;
    private boolean closed;

    // Written by the capture thread only (and read by it when publishing).
    private long packetsReceived;
    private long packetsNotDns;
    private long packetsLocalIgnored;
    private long packetsFragmented;
    private long packetsTruncated;
    private long packetsMalformed;
    private long kernelPackets;
    private long kernelDrops;
    private long ringFull;
    private long captureErrors;
    private long nextTick;

    private PacketSocketDnsCapture(PacketSocket socket, MonitorConfig config) {
        this.socket = socket;
        this.processor = DnsTrafficProcessor.create(config);
        this.decoder = new IpPacketDecoder(config.dnsPorts(), config.dnsCollectLocal());
        // No idle park: the socket read itself waits up to POLL_MILLIS for a packet.
        this.worker = new WorkerRunner("dns-capture", 0, MAX_CONSECUTIVE_FAILURES, this::captureCycle);
        this.published = counters();
    }

    /**
     * Opens the packet socket for the DNS ports of {@code config} in the current network namespace.
     *
     * @throws NativeCallException when the socket cannot be set up (EPERM without CAP_NET_RAW)
     */
    public static PacketSocketDnsCapture open(MonitorConfig config) throws NativeCallException {
        PacketSocket socket = PacketSocket.open(DnsSocketFilter.forPorts(config.dnsPorts()));
        try {
            return new PacketSocketDnsCapture(socket, config);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        nextTick = System.nanoTime() + TICK_NANOS;
        worker.start();
    }

    @Override
    public List<DnsStats> drainStats() {
        return processor.statsKeeper().drain();
    }

    @Override
    public List<String> namesFor(InetAddress address) {
        return processor.reverseDnsCache().namesFor(address);
    }

    @Override
    public Map<String, Long> telemetry() {
        // Failed socket reads are counted by the worker, per-packet failures by the capture thread.
        Map<String, Long> counters = new TreeMap<>(published);
        counters.merge(CAPTURE_ERRORS, worker.errors(), Long::sum);
        counters.put(worker.stoppedCounter(), worker.stoppedOnFailure() ? 1L : 0L);
        return Collections.unmodifiableMap(counters);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (started && !worker.stop(STOP_WAIT_MILLIS)) {
            // Unmapping the ring under a running reader would crash the JVM: leave it to a later close.
            LOG.warn("DNS capture thread did not stop within {} ms; its socket stays open until close is called again",
                    STOP_WAIT_MILLIS);
            return;
        }
        closed = true;
        if (started) {
            publishFinalCounters();
        }
        socket.close();
    }

    /** Capture thread: one duty cycle; returns 1 when a packet was handled. */
    private int captureCycle() throws NativeCallException {
        boolean received = socket.next(packet, POLL_MILLIS);
        if (received) {
            handle(packet);
        }
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
            tick();
            nextTick = now + TICK_NANOS;
        }
        return received ? 1 : 0;
    }

    /** Closing thread, after the capture thread stopped: the last kernel counters and expiries. */
    private void publishFinalCounters() {
        try {
            tick();
        } catch (NativeCallException e) {
            LOG.debug("reading the final DNS capture statistics failed: {}", e.getMessage());
        }
    }

    private void handle(CapturedPacket captured) {
        packetsReceived++;
        if (captured.isOutgoingLoopbackCopy()) {
            // The filter drops these; a filter-less kernel path must not count loopback DNS twice.
            packetsLocalIgnored++;
            return;
        }
        try {
            switch (decoder.decode(captured.data(), captured.length())) {
                case DNS_UDP -> processor.onUdpPayload(decoder.flow(), captured.data(), decoder.payloadOffset(),
                        decoder.payloadLength(), captured.timestampNanos());
                case DNS_TCP -> processor.onTcpSegment(decoder.flow(), decoder.tcpSequence(), decoder.tcpFlags(),
                        captured.data(), decoder.payloadOffset(), decoder.payloadLength(), captured.timestampNanos());
                case NOT_DNS -> packetsNotDns++;
                case LOCAL_IGNORED -> packetsLocalIgnored++;
                case FRAGMENT -> packetsFragmented++;
                case TRUNCATED -> packetsTruncated++;
                case MALFORMED -> packetsMalformed++;
            }
        } catch (RuntimeException e) {
            // A bug must not end the capture: count it, log the first ones. The exception's message
            // may quote the packet (addresses, names), so it goes to DEBUG, escaped.
            if (captureErrors++ < 10) {
                StackTraceElement[] where = e.getStackTrace();
                LOG.warn("DNS capture failed on a packet: {} at {}", e.getClass().getName(),
                        where.length > 0 ? where[0] : "an unknown place");
                LOG.debug("DNS capture failure: {}", LogText.escape(e));
            }
        }
    }

    private void tick() throws NativeCallException {
        // A response may still sit in a block the kernel has not handed over yet: expire only
        // queries whose timeout passed before the oldest moment such a block can hold.
        processor.expire(PacketSocket.nowNanos() - EXPIRY_LAG_NANOS);
        socket.readStatistics(kernelReading);
        kernelPackets += kernelReading[0];
        kernelDrops += kernelReading[1];
        ringFull += kernelReading[2];
        published = counters();
    }

    private Map<String, Long> counters() {
        Map<String, Long> counters = new TreeMap<>(processor.telemetry());
        counters.put("dns_packets_captured", kernelPackets);
        counters.put("dns_packets_kernel_dropped", kernelDrops);
        counters.put("dns_ring_full", ringFull);
        counters.put("dns_packets_received", packetsReceived);
        counters.put("dns_packets_not_dns", packetsNotDns);
        counters.put("dns_packets_local_ignored", packetsLocalIgnored);
        counters.put("dns_packets_fragmented", packetsFragmented);
        counters.put("dns_packets_truncated", packetsTruncated);
        counters.put("dns_packets_malformed", packetsMalformed);
        counters.put(CAPTURE_ERRORS, captureErrors);
        return Collections.unmodifiableMap(counters);
    }
}
