package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keys built from attacker-chosen values that share one hash code stay distinct, and their order
 * agrees with equality (what a hash map's tree bins rely on).
 */
class CollidingKeysTest {
    @Test
    void ipv6PeersWithOneAddressHashGiveConnectionKeysWithDistinctHashesAndOrder() throws Exception {
        // given: swapping the last two 32-bit words keeps the hash (their sum) of an IPv6 address
        InetAddress first = InetAddress.getByName("2001:db8:0:0:1:0:0:1");
        InetAddress second = InetAddress.getByName("2001:db8:0:0:0:1:1:0");
        InetAddress local = InetAddress.getByName("2001:db8::53");
        assertThat(first.hashCode()).isEqualTo(second.hashCode());
        ConnectionKey a = new ConnectionKey(Family.V6, Protocol.UDP, local, 53, first, 5353, 1, 2);
        ConnectionKey b = new ConnectionKey(Family.V6, Protocol.UDP, local, 53, second, 5353, 1, 2);

        // then: the keyed hash tells them apart, equal keys still hash alike, and the order is strict
        assertThat(a.hashCode()).isNotEqualTo(b.hashCode());
        assertThat(a.hashCode()).isEqualTo(new ConnectionKey(Family.V6, Protocol.UDP, local, 53, first, 5353, 1, 2)
                .hashCode());
        assertThat(a).isNotEqualTo(b);
        assertThat(a.compareTo(b)).isPositive();
        assertThat(b.compareTo(a)).isNegative();
        assertThat(a.compareTo(new ConnectionKey(Family.V6, Protocol.UDP, local, 53, first, 5353, 1, 2))).isZero();
        assertThat(a.compareTo(new ConnectionKey(Family.V6, Protocol.UDP, local, 53, first, 5353, 1, 3)))
                .isNegative();
    }

    @Test
    void domainsWithOneStringHashGiveDistinctOrderedDnsKeys() throws Exception {
        // given: "a~" and "b_" have the same String.hashCode, and so do names built of them
        InetAddress client = InetAddress.getByName("10.0.0.1");
        InetAddress server = InetAddress.getByName("10.0.0.53");
        List<DnsStatsKey> keys = new ArrayList<>();
        for (String label : List.of("a~a~", "a~b_", "b_a~", "b_b_")) {
            keys.add(new DnsStatsKey(client, server, label + ".test", 1));
        }

        // then
        Set<Integer> hashes = new HashSet<>();
        keys.forEach(k -> hashes.add(k.hashCode()));
        assertThat(hashes).hasSize(1);
        assertThat(new java.util.TreeSet<>(keys)).containsExactlyElementsOf(keys);
        assertThat(keys.get(0).compareTo(new DnsStatsKey(client, server, "a~a~.test", 1))).isZero();
        assertThat(keys.get(0).compareTo(new DnsStatsKey(client, server, "a~a~.test", 28))).isNegative();
    }
}
