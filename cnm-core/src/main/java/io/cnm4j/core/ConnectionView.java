package io.cnm4j.core;

import java.util.List;
import java.util.Map;

/**
 * One connection of a read, seen through a view that the monitor reuses for the next connection:
 * the allocation-free counterpart of {@link ConnectionStats} for exporters that turn each
 * connection into their own records. Each accessor returns what {@link ConnectionStats} gives for it
 * ({@link #bytesSent()} is {@code last().bytesSent()}, {@link #totalBytesSent()} is
 * {@code total().bytesSent()}); {@link #toStats()} makes that immutable copy. {@link ConnectionStats}
 * is a view too.
 *
 * <p>Valid only during {@link ConnectionVisitor#visit}, on the thread that called it: keep
 * {@link #toStats()}, not the view. Counters and times allocate nothing; {@link #dnsNames()},
 * {@link #tags()} and {@link #nat()} are looked up on first call and may allocate.
 */
public interface ConnectionView {
    /** {@return the tuple, process and network namespace (an immutable value, safe to keep)} */
    ConnectionKey key();

    /** {@return which end opened the connection} */
    Direction direction();

    /** {@return the kernel's socket cookie of the most recently updated socket with this tuple} */
    long cookie();

    /** {@return bytes sent since this client's previous read} */
    long bytesSent();

    /** {@return bytes received since this client's previous read} */
    long bytesReceived();

    /** {@return segments or datagrams sent since this client's previous read} */
    long packetsSent();

    /** {@return segments or datagrams received since this client's previous read} */
    long packetsReceived();

    /** {@return TCP retransmits since this client's previous read} */
    long retransmits();

    /** {@return 1 when the connection was established after capture started and this client had not seen that} */
    long tcpEstablished();

    /** {@return 1 when the connection closed since this client's previous read} */
    long tcpClosed();

    /** {@return bytes sent over the connection's lifetime as tracked} */
    long totalBytesSent();

    /** {@return bytes received over the connection's lifetime as tracked} */
    long totalBytesReceived();

    /** {@return segments or datagrams sent over the connection's lifetime as tracked} */
    long totalPacketsSent();

    /** {@return segments or datagrams received over the connection's lifetime as tracked} */
    long totalPacketsReceived();

    /** {@return TCP retransmits over the connection's lifetime as tracked} */
    long totalRetransmits();

    /** {@return smoothed round-trip time in microseconds (0 when unknown)} */
    long rttMicros();

    /** {@return round-trip time variance in microseconds (0 when unknown)} */
    long rttVarMicros();

    /** {@return failed or aborted connection attempts by errno; empty when none} */
    Map<Integer, Long> tcpFailures();

    /** {@return when the connection was first seen, in nanoseconds since the epoch} */
    long startEpochNanos();

    /** {@return when its counters last changed, in nanoseconds since the epoch (never before the start)} */
    long lastUpdateEpochNanos();

    /** {@return whether the connection is closed} */
    boolean closed();

    /** {@return whether both ends are on this host} */
    boolean intraHost();

    /** {@return names that resolved the remote address; looked up on first call} */
    List<String> dnsNames();

    /** {@return tags from the configured taggers; computed on first call} */
    Map<String, String> tags();

    /** {@return the translated tuple when the connection was NATed, else {@code null}; looked up on first call} */
    NatTranslation nat();

    /** {@return an immutable copy, safe to keep after the visit} */
    ConnectionStats toStats();
}
