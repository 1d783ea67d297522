package io.cnm4j.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Statistics of one connection as delivered to one consumer for one interval. Immutable.
 *
 * <p>{@link #total()} holds monotonic counters since capture started; {@link #last()} holds
 * what this consumer has not seen before. Connections whose delta is zero are not delivered.
 * When several sockets share a {@link ConnectionKey} in one interval, their counters are
 * summed and their RTTs averaged.
 *
 * @param key the tuple
 * @param direction who opened the connection
 * @param cookie kernel socket cookie (the most recent one when several sockets were merged)
 * @param total monotonic counters
 * @param last counters since this consumer's previous read
 * @param rttMicros smoothed round-trip time in microseconds (TCP), 0 when unknown
 * @param rttVarMicros round-trip time variance in microseconds (TCP), 0 when unknown
 * @param tcpFailures failed or aborted connection attempts by errno (111, 104, 110, 113, 101…)
 * @param start when the connection was first seen
 * @param lastUpdate when its counters last changed
 * @param closed whether the connection is closed
 * @param intraHost whether both ends are on this host
 * @param nat the translated tuple, when the connection was NATed
 * @param dnsNames names that resolved the remote address, from captured DNS answers
 * @param tags tags added by the configured taggers
 *
 * <p>Also a {@link ConnectionView}, so that code written for views (an exporter, the JSON writer)
 * takes these copies as they are.
 */
public record ConnectionStats(
        ConnectionKey key,
        Direction direction,
        long cookie,
        Counters total,
        Counters last,
        long rttMicros,
        long rttVarMicros,
        Map<Integer, Long> tcpFailures,
        Instant start,
        Instant lastUpdate,
        boolean closed,
        boolean intraHost,
        NatTranslation nat,
        List<String> dnsNames,
        Map<String, String> tags) implements ConnectionView {

    /**
     * Creates an instance from its components.
     */
    public ConnectionStats {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(lastUpdate, "lastUpdate");
        tcpFailures = Map.copyOf(tcpFailures);
        dnsNames = List.copyOf(dnsNames);
        tags = Map.copyOf(tags);
    }

    /** {@return time from first sight to the last update} */
    public Duration duration() {
        return Duration.between(start, lastUpdate);
    }

    /** {@return the NAT translation, if the connection was NATed} */
    public Optional<NatTranslation> natTranslation() {
        return Optional.ofNullable(nat);
    }

    /**
     * A copy with other DNS names and tags (used by enrichers).
     *
     * @param names the DNS names of the remote address
     * @param newTags the tags
     * @param translation the NAT translation, or null
     * @return the copy
     */
    public ConnectionStats withEnrichment(List<String> names, Map<String, String> newTags, NatTranslation translation) {
        return new ConnectionStats(key, direction, cookie, total, last, rttMicros, rttVarMicros, tcpFailures,
                start, lastUpdate, closed, intraHost, translation, names, newTags);
    }

    @Override
    public long bytesSent() {
        return last.bytesSent();
    }

    @Override
    public long bytesReceived() {
        return last.bytesReceived();
    }

    @Override
    public long packetsSent() {
        return last.packetsSent();
    }

    @Override
    public long packetsReceived() {
        return last.packetsReceived();
    }

    @Override
    public long retransmits() {
        return last.retransmits();
    }

    @Override
    public long tcpEstablished() {
        return last.tcpEstablished();
    }

    @Override
    public long tcpClosed() {
        return last.tcpClosed();
    }

    @Override
    public long totalBytesSent() {
        return total.bytesSent();
    }

    @Override
    public long totalBytesReceived() {
        return total.bytesReceived();
    }

    @Override
    public long totalPacketsSent() {
        return total.packetsSent();
    }

    @Override
    public long totalPacketsReceived() {
        return total.packetsReceived();
    }

    @Override
    public long totalRetransmits() {
        return total.retransmits();
    }

    @Override
    public long startEpochNanos() {
        return epochNanos(start);
    }

    @Override
    public long lastUpdateEpochNanos() {
        return epochNanos(lastUpdate);
    }

    /** Itself: it is immutable already. */
    @Override
    public ConnectionStats toStats() {
        return this;
    }

    private static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
