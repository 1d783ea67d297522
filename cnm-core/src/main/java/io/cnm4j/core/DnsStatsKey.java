package io.cnm4j.core;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * What DNS statistics are keyed by. Ordered by domain, query type, client and server address
 * bytes; the order also keeps hash maps fast when attacker-chosen domains share a
 * {@link String#hashCode()} (colliding keys are kept in a balanced tree instead of a list).
 *
 * @param client address of the querying host
 * @param server address of the resolver
 * @param domain lower-cased queried name; empty when domain collection is off
 * @param queryType query type number (1 = A, 28 = AAAA…)
 */
public record DnsStatsKey(InetAddress client, InetAddress server, String domain, int queryType)
        implements Comparable<DnsStatsKey> {
    private static final Comparator<DnsStatsKey> ORDER = Comparator.comparing(DnsStatsKey::domain)
            .thenComparingInt(DnsStatsKey::queryType)
            .thenComparing((a, b) -> compareAddresses(a.client, b.client))
            .thenComparing((a, b) -> compareAddresses(a.server, b.server));

    /**
     * Creates an instance from its components.
     */
    public DnsStatsKey {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(domain, "domain");
    }

    /** {@return the query type's mnemonic, such as {@code "A"}} */
    public String queryTypeName() {
        return DnsQueryType.name(queryType);
    }

    @Override
    public int compareTo(DnsStatsKey other) {
        return ORDER.compare(this, other);
    }

    private static int compareAddresses(InetAddress a, InetAddress b) {
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }
}
