package io.cnm4j.linux.internal.dns;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.internal.ffm.NativeCallException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A running capture of the host's DNS traffic: statistics per (client, server, domain, query type)
 * and the names that resolved each address. Owns native resources until {@link #close()}.
 *
 * <p>Concurrency: {@link #start()} and {@link #close()} are called by the owner; {@link #drainStats()},
 * {@link #namesFor} and {@link #telemetry()} may be called from any thread while the capture runs
 * on its own thread.
 */
public interface DnsCapture extends AutoCloseable {
    /**
     * Opens the capture of the current network namespace with the DNS settings of {@code config}
     * (ports, timeout, domain collection, query types, local DNS, limits); call {@link #start()} to
     * begin receiving.
     *
     * @throws NativeCallException when the packet socket cannot be set up, for example EPERM
     *         without CAP_NET_RAW
     */
    static DnsCapture open(MonitorConfig config) throws NativeCallException {
        return PacketSocketDnsCapture.open(config);
    }

    /** Starts the capture thread; calling it again has no effect. */
    void start();

    /** The statistics completed since the previous call, and a fresh interval. */
    List<DnsStats> drainStats();

    /** Names that resolved the address in captured answers, most recently seen first. */
    List<String> namesFor(InetAddress address);

    /**
     * Totals since start of every capture and loss counter, as of the capture thread's last
     * publication (about once per second, and at close).
     */
    Map<String, Long> telemetry();

    /** Stops the capture thread and frees the socket; calling it twice is harmless. */
    @Override
    void close();
}
