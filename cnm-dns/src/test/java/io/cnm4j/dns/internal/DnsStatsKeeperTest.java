package io.cnm4j.dns.internal;

import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_A;
import static io.cnm4j.dns.internal.DnsPacketBuilder.TYPE_AAAA;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.DnsStats;
import io.cnm4j.core.DnsStatsKey;
import io.cnm4j.core.MonitorConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DnsStatsKeeperTest {
    private static final String CLIENT = "10.0.0.5";
    private static final String SERVER = "10.0.0.53";

    @Test
    void completionsOfOneKeyAreAggregatedWithRcodesTimeoutsAndLatencySums() throws Exception {
        // given
        DnsStatsKeeper keeper = new DnsStatsKeeper(true, Set.of(), 100);

        // when
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 100));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 300));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 3, 50));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, CompletedDnsQuery.NO_RESPONSE, 15_000_000));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_AAAA, 2, 70));
        List<DnsStats> stats = keeper.drain();

        // then
        assertThat(stats).hasSize(2);
        DnsStats a = stats.get(0);
        assertThat(a.key()).isEqualTo(key(CLIENT, SERVER, "a.example", TYPE_A));
        assertThat(a.countsByRcode()).isEqualTo(Map.of(0, 2L, 3, 1L));
        assertThat(a.timeouts()).isEqualTo(1);
        assertThat(a.successLatencySumMicros()).isEqualTo(400);
        assertThat(a.failureLatencySumMicros()).isEqualTo(50);
        assertThat(a.latencyHistogramMicros().getTotalCount()).isEqualTo(3);
        assertThat(a.latencyHistogramMicros().getCountAtValue(300)).isEqualTo(1);
        DnsStats aaaa = stats.get(1);
        assertThat(aaaa.key()).isEqualTo(key(CLIENT, SERVER, "a.example", TYPE_AAAA));
        assertThat(aaaa.countsByRcode()).isEqualTo(Map.of(2, 1L));
        assertThat(aaaa.successLatencySumMicros()).isZero();
        assertThat(aaaa.failureLatencySumMicros()).isEqualTo(70);
        assertThat(aaaa.timeouts()).isZero();
    }

    @Test
    void drainStartsAFreshInterval() throws Exception {
        // given
        DnsStatsKeeper keeper = new DnsStatsKeeper(true, Set.of(), 100);
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 100));

        // when
        List<DnsStats> first = keeper.drain();
        List<DnsStats> empty = keeper.drain();
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 200));
        List<DnsStats> second = keeper.drain();

        // then
        assertThat(first).singleElement().satisfies(s -> assertThat(s.successLatencySumMicros()).isEqualTo(100));
        assertThat(empty).isEmpty();
        assertThat(second).singleElement().satisfies(s -> {
            assertThat(s.successLatencySumMicros()).isEqualTo(200);
            assertThat(s.countsByRcode()).isEqualTo(Map.of(0, 1L));
        });
    }

    @Test
    void withDomainCollectionOffEveryDomainSharesTheEmptyDomain() throws Exception {
        // given
        DnsStatsKeeper keeper = DnsStatsKeeper.fromConfig(MonitorConfig.builder().dnsCollectDomains(false).build());

        // when
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 10));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "b.example", TYPE_A, 3, 20));

        // then
        assertThat(keeper.drain()).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo(key(CLIENT, SERVER, "", TYPE_A));
            assertThat(s.countsByRcode()).isEqualTo(Map.of(0, 1L, 3, 1L));
        });
    }

    @Test
    void onlySelectedQueryTypesAreRecordedAndOthersAreNotLoss() throws Exception {
        // given
        DnsStatsKeeper keeper = DnsStatsKeeper.fromConfig(MonitorConfig.builder().dnsQueryTypes("AAAA").build());

        // when
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 10));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_AAAA, 0, 20));

        // then
        assertThat(keeper.drain()).singleElement()
                .satisfies(s -> assertThat(s.key()).isEqualTo(key(CLIENT, SERVER, "a.example", TYPE_AAAA)));
        assertThat(keeper.statsDropped()).isZero();
    }

    @Test
    void newKeysBeyondTheLimitAreDroppedAndCountedWhileKnownKeysKeepCounting() throws Exception {
        // given
        DnsStatsKeeper keeper = new DnsStatsKeeper(true, Set.of(), 2);

        // when
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 10));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "b.example", TYPE_A, 0, 10));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "c.example", TYPE_A, 0, 10));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "c.example", TYPE_A, 0, 10));
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 10));
        List<DnsStats> full = keeper.drain();
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "c.example", TYPE_A, 0, 10));
        List<DnsStats> next = keeper.drain();

        // then
        assertThat(full).extracting(s -> s.key().domain()).containsExactly("a.example", "b.example");
        assertThat(full.get(0).responses()).isEqualTo(2);
        assertThat(keeper.statsDropped()).isEqualTo(2);
        assertThat(next).extracting(s -> s.key().domain()).containsExactly("c.example");
    }

    @Test
    void clientsAndServersOfBothFamiliesAreSeparateKeys() throws Exception {
        // given
        DnsStatsKeeper keeper = new DnsStatsKeeper(true, Set.of(), 100);

        // when
        keeper.onQueryCompleted(completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 10));
        keeper.onQueryCompleted(completion("10.0.0.6", SERVER, "a.example", TYPE_A, 0, 10));
        keeper.onQueryCompleted(completion("fd00::5", "fd00::53", "a.example", TYPE_A, 0, 10));

        // then
        assertThat(keeper.drain()).extracting(DnsStats::key).containsExactly(
                key(CLIENT, SERVER, "a.example", TYPE_A),
                key("10.0.0.6", SERVER, "a.example", TYPE_A),
                key("fd00::5", "fd00::53", "a.example", TYPE_A));
    }

    @Test
    void noCompletionIsLostOrCountedTwiceWhileAReaderDrainsConcurrently() throws Exception {
        // given
        DnsStatsKeeper keeper = new DnsStatsKeeper(true, Set.of(), 100);
        CompletedDnsQuery[] completions = {
            completion(CLIENT, SERVER, "a.example", TYPE_A, 0, 10),
            completion(CLIENT, SERVER, "b.example", TYPE_A, 3, 10),
            completion(CLIENT, SERVER, "c.example", TYPE_A, CompletedDnsQuery.NO_RESPONSE, 10),
        };
        int total = 300_000;
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                keeper.onQueryCompleted(completions[i % completions.length]);
            }
            writing.set(false);
        });
        List<DnsStats> drained = new ArrayList<>();

        // when
        writer.start();
        while (writing.get()) {
            drained.addAll(keeper.drain());
        }
        writer.join();
        drained.addAll(keeper.drain());

        // then
        long counted = drained.stream().mapToLong(s -> s.responses() + s.timeouts()).sum();
        assertThat(counted).isEqualTo(total);
        assertThat(drained.stream().filter(s -> s.key().domain().equals("c.example"))
                .mapToLong(DnsStats::timeouts).sum()).isEqualTo(total / 3);
    }

    static CompletedDnsQuery completion(String client, String server, String domain, int type, int rcode,
            long latencyMicros) throws Exception {
        DnsPacketFlow flow = new DnsPacketFlow()
                .source(InetAddress.getByName(client), 40000)
                .destination(InetAddress.getByName(server), 53);
        CompletedDnsQuery query = new CompletedDnsQuery();
        query.setAddresses(flow.sourceHigh(), flow.sourceLow(), flow.destinationHigh(), flow.destinationLow());
        query.setQuery(40000, DnsPacketFlow.UDP, 1, domain, type);
        query.setResult(rcode, latencyMicros);
        return query;
    }

    static DnsStatsKey key(String client, String server, String domain, int type) throws Exception {
        return new DnsStatsKey(InetAddress.getByName(client), InetAddress.getByName(server), domain, type);
    }
}
