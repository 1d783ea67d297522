package io.cnm4j.examples.cnm;

import io.cnm4j.core.DnsStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * DNS statistics of one domain over every client, server and query type.
 *
 * @param domain the queried name ({@code (no domain)} when domain collection is off)
 * @param queries responses plus timeouts
 * @param errors responses with a non-zero rcode plus timeouts
 * @param p99Micros 99th percentile of the response latency in microseconds, 0 without responses
 */
record DomainSummary(String domain, long queries, long errors, long p99Micros) {
    private static final Comparator<DomainSummary> BUSIEST_FIRST =
            Comparator.comparingLong(DomainSummary::queries).reversed().thenComparing(DomainSummary::domain);

    /** One summary per domain, busiest first (ties by name). */
    static List<DomainSummary> byDomain(List<DnsStats> stats) {
        Map<String, Accumulator> domains = new LinkedHashMap<>();
        for (DnsStats s : stats) {
            String domain = s.key().domain().isEmpty() ? "(no domain)" : s.key().domain();
            domains.computeIfAbsent(domain, d -> new Accumulator()).add(s);
        }
        List<DomainSummary> summaries = new ArrayList<>(domains.size());
        domains.forEach((domain, a) -> summaries.add(new DomainSummary(domain, a.queries, a.errors,
                a.latency.getTotalCount() == 0 ? 0 : a.latency.getValueAtPercentile(99))));
        summaries.sort(BUSIEST_FIRST);
        return summaries;
    }

    private static final class Accumulator {
        private final Histogram latency = DnsStats.newLatencyHistogram();
        private long queries;
        private long errors;

        void add(DnsStats s) {
            long failures = s.countsByRcode().entrySet().stream()
                    .filter(e -> e.getKey() != 0).mapToLong(Map.Entry::getValue).sum();
            queries += s.responses() + s.timeouts();
            errors += failures + s.timeouts();
            latency.add(s.latencyHistogramMicros());
        }
    }
}
