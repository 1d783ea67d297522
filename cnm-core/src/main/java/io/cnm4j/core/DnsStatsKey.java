package io.cnm4j.core;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What DNS statistics are keyed by.
 *
 * @param client address of the querying host
 * @param server address of the resolver
 * @param domain lower-cased queried name; empty when domain collection is off
 * @param queryType query type number (1 = A, 28 = AAAA…)
 */
public record DnsStatsKey(InetAddress client, InetAddress server, String domain, int queryType) {
    public DnsStatsKey {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(domain, "domain");
    }

    /** The query type's mnemonic, such as {@code "A"}. */
    public String queryTypeName() {
        return DnsQueryType.name(queryType);
    }
}
