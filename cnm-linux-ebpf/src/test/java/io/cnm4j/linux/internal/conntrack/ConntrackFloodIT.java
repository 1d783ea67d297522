package io.cnm4j.linux.internal.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * 100,000 translated conntrack entries in a namespace of this run (UDP datagrams to 50,000 ports
 * from two sockets, each DNAT'd by an nft output rule): the table stays within its bound and
 * every entry it does not keep is counted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConntrackFloodIT {
    private static final int BOUND = 65_536;
    private static final int PORTS = 50_000;
    private static final int FLOOD = 2 * PORTS;
    private static final long SETTLE_TIMEOUT_NANOS = 30_000_000_000L;

    /** Sends one datagram to ports 10000..10000+ports-1 of 127.0.0.1 from each of n new sockets. */
    private static final String FLOOD_SCRIPT = """
            import socket, sys
            sockets, ports = int(sys.argv[1]), int(sys.argv[2])
            for _ in range(sockets):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("127.0.0.1", 0))
                for port in range(10000, 10000 + ports):
                    s.sendto(b"x", ("127.0.0.1", port))
            print("sent", flush=True)
            """;

    static NatTestNetwork network;
    static String namespace;
    static long inode;
    static NatResolver resolver;

    @BeforeAll
    static void createNamespace() {
        network = NatTestNetwork.require();
        namespace = network.namespace("f");
        network.nftTable(namespace, "ip", "cnm_nat_test_" + NatTestNetwork.RUN + "f", """
                chain out {
                    type nat hook output priority -100; policy accept;
                    ip daddr 127.0.0.1 udp dport 10000-%d dnat to 127.0.0.2
                }""".formatted(10_000 + PORTS - 1));
        inode = NetworkNamespaces.inodeOf(Path.of("/run/netns", namespace));
        resolver = NatResolver.open(true, new NatSettings(BOUND, 500, 4, NatSettings.DEFAULTS.eventBufferBytes()));
        resolver.start();
    }

    @AfterAll
    static void removeNamespace() {
        if (resolver != null) {
            resolver.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void aDumpOf100000EntriesKeepsTheBoundAndCountsEveryEviction() {
        // given: the entries exist before the namespace is watched, so they arrive by the dump
        flood();

        // when
        assertThat(resolver.watch(inode, Path.of("/run/netns", namespace))).isTrue();
        ConntrackTable table = awaitTable(t -> t.inserted() >= FLOOD);

        // then
        assertThat(table.inserted()).isEqualTo(FLOOD);
        assertThat(table.size()).isEqualTo(BOUND);
        assertThat(table.evicted()).isEqualTo(FLOOD - BOUND);
    }

    @Test
    @Order(2)
    void anEventFloodIsSampledAndOverrunsAreCountedAndRedumped() {
        // given
        ConntrackTable table = awaitTable(t -> true);
        Map<String, Long> before = resolver.telemetry();

        // when: 100,000 new entries arrive as events, far above 500 per second
        flood();
        Map<String, Long> after = settled(resolver);

        // then
        long events = after.get(NatResolver.EVENTS) - before.get(NatResolver.EVENTS);
        long sampled = after.get(NatResolver.SAMPLED) - before.get(NatResolver.SAMPLED);
        long overruns = after.get(NatResolver.OVERRUNS) - before.get(NatResolver.OVERRUNS);
        long redumps = after.get(NatResolver.REDUMPS) - before.get(NatResolver.REDUMPS);
        assertThat(events + overruns).as("every event is received, or its loss counted").isPositive();
        assertThat(sampled).as("events above the rate are sampled out").isPositive().isLessThanOrEqualTo(events);
        assertThat(redumps).as("an overrun is followed by a dump").isGreaterThanOrEqualTo(overruns > 0 ? 1 : 0);
        assertThat(table.size()).isEqualTo(BOUND);
        assertThat(table.inserted() - table.evicted() - table.expired()).isEqualTo(table.size());
        assertThat(after.get(NatResolver.EVICTED)).isGreaterThanOrEqualTo(table.evicted());
    }

    @Test
    @Order(3)
    void aReceiveBufferOverrunIsCountedAndFollowedByADump() {
        // given: a namespace of its own, watched with a 64 KiB event buffer that a flood overruns
        String small = network.namespace("g");
        network.nftTable(small, "ip", "cnm_nat_test_" + NatTestNetwork.RUN + "g", """
                chain out {
                    type nat hook output priority -100; policy accept;
                    ip daddr 127.0.0.1 udp dport 10000-%d dnat to 127.0.0.2
                }""".formatted(10_000 + PORTS - 1));
        long smallInode = NetworkNamespaces.inodeOf(Path.of("/run/netns", small));
        try (NatResolver overrun = NatResolver.open(true, new NatSettings(BOUND, 500, 4, 64 * 1024))) {
            overrun.start();
            assertThat(overrun.watch(smallInode, Path.of("/run/netns", small))).isTrue();
            awaitTable(overrun, smallInode, t -> true);

            // when
            flood(small);
            Map<String, Long> after = settled(overrun);

            // then
            ConntrackTable table = awaitTable(overrun, smallInode, t -> true);
            assertThat(after.get(NatResolver.OVERRUNS)).as(after.toString()).isPositive();
            assertThat(after.get(NatResolver.REDUMPS)).isBetween(1L, after.get(NatResolver.OVERRUNS));
            assertThat(table.size()).isLessThanOrEqualTo(BOUND);
            assertThat(table.inserted() - table.evicted() - table.expired()).isEqualTo(table.size());
        }
    }

    private static void flood() {
        flood(namespace);
    }

    private static void flood(String target) {
        Process sender = network.start("ip", "netns", "exec", target, "python3", "-c", FLOOD_SCRIPT, "2",
                Integer.toString(PORTS));
        assertThat(NatTestNetwork.readLine(sender)).isEqualTo("sent");
    }

    private static ConntrackTable awaitTable(Predicate<ConntrackTable> done) {
        return awaitTable(resolver, inode, done);
    }

    private static ConntrackTable awaitTable(NatResolver watching, long watchedInode, Predicate<ConntrackTable> done) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            ConntrackNamespace watched = watching.namespaces.get(watchedInode);
            if (watched != null && done.test(watched.table)) {
                return watched.table;
            }
            sleep(100);
        }
        throw new AssertionError("namespace table not ready within 30 s: " + watching.telemetry());
    }

    /**
     * The telemetry once this run's counters stopped changing for a second (event and dump
     * totals also count the host namespace's own traffic, so they are not waited for).
     */
    private static Map<String, Long> settled(NatResolver watching) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_NANOS;
        List<Long> previous = progress(watching);
        while (System.nanoTime() - deadline < 0) {
            sleep(1_000);
            List<Long> current = progress(watching);
            if (current.equals(previous)) {
                return watching.telemetry();
            }
            previous = current;
        }
        throw new AssertionError("conntrack events still arriving after 30 s: " + watching.telemetry());
    }

    private static List<Long> progress(NatResolver watching) {
        Map<String, Long> telemetry = watching.telemetry();
        long tables = watching.namespaces.values().stream().mapToLong(n -> n.table.inserted()).sum();
        return List.of(tables, telemetry.get(NatResolver.SAMPLED), telemetry.get(NatResolver.OVERRUNS),
                telemetry.get(NatResolver.REDUMPS), telemetry.get(NatResolver.EVICTED));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
