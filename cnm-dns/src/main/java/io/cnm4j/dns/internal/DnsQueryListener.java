package io.cnm4j.dns.internal;

/**
 * Receives every DNS query that {@link DnsQueryMatcher} completes, by a response or by a timeout.
 * Called synchronously on the thread that drives the matcher, so it should be quick.
 */
@FunctionalInterface
interface DnsQueryListener {
    /**
     * @param query the completed query; a view reused for the next call, so copy what you keep
     */
    void onQueryCompleted(CompletedDnsQuery query);
}
