package io.cnm4j.dns.internal;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.MonitorConfig;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * Aggregates completed DNS queries into {@link DnsStats} per (client, server, domain, query type)
 * for the current interval: counts by response code, timeouts, success (rcode 0) and failure
 * latency sums in microseconds, and the latency histogram.
 *
 * <p>{@link #drain()} hands out the interval and starts a fresh one, in the manner of HdrHistogram's
 * {@code Recorder}: the writer only enters and leaves a {@link WriterReaderPhaser} critical section
 * (two atomic increments) and never waits for a reader; the reader swaps the interval and waits
 * for writers still inside the old one.
 *
 * <p>Each interval holds at most {@code maxStatsPerInterval} distinct keys; a completion for a new
 * key beyond it is dropped and counted in {@link #statsDropped()}. Completions of query types not
 * selected are ignored, and with domain collection off every key carries the empty domain.
 *
 * <p>Concurrency: {@link #onQueryCompleted} must be called by one thread at a time (the thread that
 * drives the {@link DnsQueryMatcher}); {@link #drain()} and {@link #statsDropped()} may be called
 * from any thread.
 */
public final class DnsStatsKeeper implements DnsQueryListener {
    private static final int QUERY_TYPE_COUNT = 1 << 16;

    private final boolean collectDomains;
    private final BitSet selectedQueryTypes;
    private final int maxStatsPerInterval;
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final AtomicLong statsDropped = new AtomicLong();
    // Written only by the writer thread, inside the critical section.
    private final StatsSlot probe = new StatsSlot();

    private volatile Map<StatsSlot, DnsStats.Builder> active = new LinkedHashMap<>();
    // Only touched by a reader holding the phaser's reader lock.
    private Map<StatsSlot, DnsStats.Builder> inactive = new LinkedHashMap<>();

    /**
     * @param collectDomains      key statistics by queried domain; when false every key has domain {@code ""}
     * @param queryTypes          query type numbers to record; empty records every type
     * @param maxStatsPerInterval distinct keys kept per interval, at least 1
     */
    public DnsStatsKeeper(boolean collectDomains, Set<Integer> queryTypes, int maxStatsPerInterval) {
        if (maxStatsPerInterval < 1) {
            throw new IllegalArgumentException("maxStatsPerInterval must be positive: " + maxStatsPerInterval);
        }
        this.collectDomains = collectDomains;
        this.maxStatsPerInterval = maxStatsPerInterval;
        if (queryTypes.isEmpty()) {
            this.selectedQueryTypes = null;
        } else {
            this.selectedQueryTypes = new BitSet(QUERY_TYPE_COUNT);
            for (int type : queryTypes) {
                if (type < 0 || type >= QUERY_TYPE_COUNT) {
                    throw new IllegalArgumentException("query type out of range: " + type);
                }
                selectedQueryTypes.set(type);
            }
        }
    }

    /** A keeper with the DNS settings of a monitor configuration. */
    public static DnsStatsKeeper fromConfig(MonitorConfig config) {
        return new DnsStatsKeeper(config.dnsCollectDomains(), config.dnsQueryTypes(), config.maxDnsStats());
    }

    @Override
    public void onQueryCompleted(CompletedDnsQuery query) {
        if (selectedQueryTypes != null && !selectedQueryTypes.get(query.queryType())) {
            return;
        }
        String domain = collectDomains ? query.domain() : "";
        long token = phaser.writerCriticalSectionEnter();
        try {
            Map<StatsSlot, DnsStats.Builder> interval = active;
            probe.set(query, domain);
            DnsStats.Builder stats = interval.get(probe);
            if (stats == null) {
                if (interval.size() >= maxStatsPerInterval) {
                    statsDropped.incrementAndGet();
                    return;
                }
                stats = DnsStats.builder(new DnsStatsKey(query.clientAddress(), query.serverAddress(), domain,
                        query.queryType()));
                interval.put(probe.copy(), stats);
            }
            if (query.isTimeout()) {
                stats.timeout();
            } else {
                stats.response(query.responseCode(), query.latencyMicros());
            }
        } finally {
            phaser.writerCriticalSectionExit(token);
        }
    }

    /**
     * The statistics recorded since the previous call, in order of each key's first completion, and
     * a fresh interval for the writer. Never blocks the writer for longer than its current record.
     *
     * @return an unmodifiable list; empty when nothing completed
     */
    public List<DnsStats> drain() {
        phaser.readerLock();
        try {
            Map<StatsSlot, DnsStats.Builder> drained = active;
            active = inactive;
            inactive = drained;
            // Waits until every writer that may still hold the drained map has left it.
            phaser.flipPhase();
            List<DnsStats> stats = new ArrayList<>(drained.size());
            for (DnsStats.Builder builder : drained.values()) {
                stats.add(builder.build());
            }
            drained.clear();
            return Collections.unmodifiableList(stats);
        } finally {
            phaser.readerUnlock();
        }
    }

    /** Completions dropped because their interval already held the maximum of distinct keys; a total. */
    public long statsDropped() {
        return statsDropped.get();
    }

    /**
     * Lookup key of one statistics entry, built from the completion's primitive address bits so that
     * a completion for a known key allocates nothing. Mutable only while it is the writer's probe.
     * Comparable so that keys whose domains collide under {@link String#hashCode()} (queried names
     * are anyone's choice) share a balanced tree bin, not a list scanned on every completion.
     */
    private static final class StatsSlot implements Comparable<StatsSlot> {
        private long clientHigh;
        private long clientLow;
        private long serverHigh;
        private long serverLow;
        private String domain;
        private int queryType;
        private int hash;

        void set(CompletedDnsQuery query, String domainOrEmpty) {
            clientHigh = query.clientAddressHigh();
            clientLow = query.clientAddressLow();
            serverHigh = query.serverAddressHigh();
            serverLow = query.serverAddressLow();
            domain = domainOrEmpty;
            queryType = query.queryType();
            int h = Long.hashCode(clientHigh);
            h = 31 * h + Long.hashCode(clientLow);
            h = 31 * h + Long.hashCode(serverHigh);
            h = 31 * h + Long.hashCode(serverLow);
            h = 31 * h + domain.hashCode();
            hash = 31 * h + queryType;
        }

        StatsSlot copy() {
            StatsSlot copy = new StatsSlot();
            copy.clientHigh = clientHigh;
            copy.clientLow = clientLow;
            copy.serverHigh = serverHigh;
            copy.serverLow = serverLow;
            copy.domain = domain;
            copy.queryType = queryType;
            copy.hash = hash;
            return copy;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StatsSlot that && hash == that.hash && queryType == that.queryType
                    && clientLow == that.clientLow && clientHigh == that.clientHigh
                    && serverLow == that.serverLow && serverHigh == that.serverHigh
                    && Objects.equals(domain, that.domain);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(StatsSlot o) {
            int order = domain.compareTo(o.domain);
            if (order == 0) {
                order = Integer.compare(queryType, o.queryType);
            }
            if (order == 0) {
                order = Long.compare(clientHigh, o.clientHigh);
            }
            if (order == 0) {
                order = Long.compare(clientLow, o.clientLow);
            }
            if (order == 0) {
                order = Long.compare(serverHigh, o.serverHigh);
            }
            return order != 0 ? order : Long.compare(serverLow, o.serverLow);
        }
    }
}
