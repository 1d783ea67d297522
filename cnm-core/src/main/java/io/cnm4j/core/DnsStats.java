package io.cnm4j.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * DNS statistics of one {@link DnsStatsKey} over one delivery interval. Immutable, and shared by
 * the snapshots of every client: the latency histogram (HdrHistogram's mutable type) is copied in
 * when built and copied out on each {@link #latencyHistogramMicros()} call.
 */
public final class DnsStats {
    /** Highest latency the histograms track, in microseconds (one hour). */
    public static final long MAX_TRACKED_LATENCY_MICROS = 3_600_000_000L;
    /** Significant decimal digits of the latency histograms. */
    public static final int HISTOGRAM_PRECISION_DIGITS = 2;

    private final DnsStatsKey key;
    private final Map<Integer, Long> countsByRcode;
    private final long timeouts;
    private final long successLatencySumMicros;
    private final long failureLatencySumMicros;
    private final Histogram latencyMicros;

    private DnsStats(DnsStatsKey key, Map<Integer, Long> countsByRcode, long timeouts,
            long successLatencySumMicros, long failureLatencySumMicros, Histogram latencyMicros) {
        this.key = Objects.requireNonNull(key, "key");
        this.countsByRcode = Map.copyOf(countsByRcode);
        this.timeouts = timeouts;
        this.successLatencySumMicros = successLatencySumMicros;
        this.failureLatencySumMicros = failureLatencySumMicros;
        this.latencyMicros = latencyMicros.copy();
    }

    /**
     * A new, empty latency histogram with the precision used by all DNS statistics. Packed, so a
     * key with a few distinct latencies costs hundreds of bytes rather than the 27 KB of a flat
     * histogram over this range: 20,000 keys per interval must fit comfortably.
     *
     * @return an empty histogram of latencies in microseconds
     */
    public static Histogram newLatencyHistogram() {
        return new PackedHistogram(MAX_TRACKED_LATENCY_MICROS, HISTOGRAM_PRECISION_DIGITS);
    }

    /**
     * Starts building statistics for a key.
     *
     * @param key the server, domain and query type the statistics are for
     * @return a new builder
     */
    public static Builder builder(DnsStatsKey key) {
        return new Builder(key);
    }

    /** {@return the server, domain and query type these statistics are for} */
    public DnsStatsKey key() {
        return key;
    }

    /** {@return responses by rcode (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED…)} */
    public Map<Integer, Long> countsByRcode() {
        return countsByRcode;
    }

    /** {@return queries that got no response within the DNS timeout} */
    public long timeouts() {
        return timeouts;
    }

    /** {@return sum of latencies of responses with rcode NOERROR, in microseconds} */
    public long successLatencySumMicros() {
        return successLatencySumMicros;
    }

    /** {@return sum of latencies of responses with any other rcode, in microseconds} */
    public long failureLatencySumMicros() {
        return failureLatencySumMicros;
    }

    /**
     * {@return a new copy of the latency histogram of all responses, in microseconds} Statistics
     * are shared by every client's and listener's snapshot, so each call copies: a caller may
     * change or reset its copy without changing what anyone else sees.
     */
    public Histogram latencyHistogramMicros() {
        return latencyMicros.copy();
    }

    /**
     * Latency at a percentile (0..100) in microseconds; 0 when there was no response.
     *
     * @param percentile the percentile, 0 to 100
     * @return the latency in microseconds
     */
    public long latencyMicrosAtPercentile(double percentile) {
        return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile);
    }

    /** {@return responses of every rcode} */
    public long responses() {
        return countsByRcode.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Statistics that hold this interval's counts plus another one's for the same key.
     *
     * @param other statistics of the same key
     * @return the combined statistics
     */
    public DnsStats plus(DnsStats other) {
        if (!key.equals(other.key)) {
            throw new IllegalArgumentException("different keys: " + key + " and " + other.key);
        }
        Map<Integer, Long> counts = new HashMap<>(countsByRcode);
        other.countsByRcode.forEach((rcode, count) -> counts.merge(rcode, count, Long::sum));
        Histogram histogram = latencyMicros.copy();
        histogram.add(other.latencyMicros);
        return new DnsStats(key, counts, timeouts + other.timeouts,
                successLatencySumMicros + other.successLatencySumMicros,
                failureLatencySumMicros + other.failureLatencySumMicros, histogram);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsStats that && key.equals(that.key) && countsByRcode.equals(that.countsByRcode)
                && timeouts == that.timeouts && successLatencySumMicros == that.successLatencySumMicros
                && failureLatencySumMicros == that.failureLatencySumMicros
                && latencyMicros.equals(that.latencyMicros);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, countsByRcode, timeouts, successLatencySumMicros, failureLatencySumMicros);
    }

    @Override
    public String toString() {
        return "DnsStats[" + key + ", rcodes=" + countsByRcode + ", timeouts=" + timeouts
                + ", successLatencySumMicros=" + successLatencySumMicros
                + ", failureLatencySumMicros=" + failureLatencySumMicros + "]";
    }

    /** Accumulates responses and timeouts for one key; not thread-safe. */
    public static final class Builder {
        /** The 16 header rcodes are counted in an array so that a response allocates nothing. */
        private static final int HEADER_RCODES = 16;

        private final DnsStatsKey key;
        private final long[] headerRcodeCounts = new long[HEADER_RCODES];
        private final Map<Integer, Long> extendedRcodeCounts = new HashMap<>();
        private final Histogram latencyMicros = newLatencyHistogram();
        private long timeouts;
        private long successLatencySumMicros;
        private long failureLatencySumMicros;

        private Builder(DnsStatsKey key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        /**
         * Records one response; rcode 0 counts as success, any other as failure.
         *
         * @param latencyMicros the response's latency in microseconds, clamped to 0..{@value #MAX_TRACKED_LATENCY_MICROS}
         * @param rcode the response code, including extended rcodes above 15
         * @return this builder
         */
        public Builder response(int rcode, long latencyMicros) {
            long clamped = Math.min(Math.max(0, latencyMicros), MAX_TRACKED_LATENCY_MICROS);
            if (rcode >= 0 && rcode < HEADER_RCODES) {
                headerRcodeCounts[rcode]++;
            } else {
                extendedRcodeCounts.merge(rcode, 1L, Long::sum);
            }
            if (rcode == 0) {
                successLatencySumMicros += clamped;
            } else {
                failureLatencySumMicros += clamped;
            }
            this.latencyMicros.recordValue(clamped);
            return this;
        }

        /**
         * Records one query that got no response in time.
         *
         * @return this builder
         */
        public Builder timeout() {
            timeouts++;
            return this;
        }

        /**
         * Builds the DnsStats from the settings made so far.
         *
         * @return the new DnsStats
         */
        public DnsStats build() {
            Map<Integer, Long> countsByRcode = new HashMap<>(extendedRcodeCounts);
            for (int rcode = 0; rcode < HEADER_RCODES; rcode++) {
                if (headerRcodeCounts[rcode] > 0) {
                    countsByRcode.put(rcode, headerRcodeCounts[rcode]);
                }
            }
            return new DnsStats(key, countsByRcode, timeouts, successLatencySumMicros, failureLatencySumMicros,
                    latencyMicros);
        }
    }
}
