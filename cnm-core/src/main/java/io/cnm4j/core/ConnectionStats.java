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
        Map<String, String> tags) {

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

    /**
     * A copy with another intra-host flag.
     *
     * @param value whether both ends are on this host
     * @return the copy
     */
    public ConnectionStats withIntraHost(boolean value) {
        return new ConnectionStats(key, direction, cookie, total, last, rttMicros, rttVarMicros, tcpFailures,
                start, lastUpdate, closed, value, nat, dnsNames, tags);
    }
}
