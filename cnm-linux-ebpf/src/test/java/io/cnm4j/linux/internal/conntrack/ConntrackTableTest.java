package io.cnm4j.linux.internal.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.NatTranslation;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ConntrackTableTest {
    private static final long GRACE = 1_000;

    @Test
    void theClientSideFindsTheReplySourceAndTheServerSideTheOriginalDestination() throws Exception {
        ConntrackTable table = new ConntrackTable(10, GRACE);
        table.put(key("10.0.0.1", 40_000, "10.0.0.99", 80), key("10.0.0.2", 8080, "10.0.0.1", 40_000));

        assertThat(table.lookup(key("10.0.0.1", 40_000, "10.0.0.99", 80)))
                .isEqualTo(new NatTranslation(ip("10.0.0.1"), 40_000, ip("10.0.0.2"), 8080));
        assertThat(table.lookup(key("10.0.0.2", 8080, "10.0.0.1", 40_000)))
                .isEqualTo(new NatTranslation(ip("10.0.0.99"), 80, ip("10.0.0.1"), 40_000));
        assertThat(table.lookup(key("10.0.0.1", 40_001, "10.0.0.99", 80))).isNull();
    }

    @Test
    void aFullTableEvictsTheLeastRecentlyUsedEntryAndCountsIt() {
        ConntrackTable table = new ConntrackTable(3, GRACE);
        for (int port = 1; port <= 3; port++) {
            table.put(key("10.0.0.1", port, "10.0.0.99", 80), key("10.0.0.2", 80, "10.0.0.1", port));
        }
        table.lookup(key("10.0.0.1", 1, "10.0.0.99", 80)); // 1 is now the most recently used

        table.put(key("10.0.0.1", 4, "10.0.0.99", 80), key("10.0.0.2", 80, "10.0.0.1", 4));

        assertThat(table.size()).isEqualTo(3);
        assertThat(table.inserted()).isEqualTo(4);
        assertThat(table.evicted()).isEqualTo(1);
        assertThat(table.lookup(key("10.0.0.1", 2, "10.0.0.99", 80))).isNull();
        assertThat(table.lookup(key("10.0.0.2", 80, "10.0.0.1", 2))).as("reply index evicted too").isNull();
        assertThat(table.lookup(key("10.0.0.1", 1, "10.0.0.99", 80))).isNotNull();
    }

    @Test
    void aDestroyedEntryIsKeptForTheGracePeriodThenForgotten() {
        ConntrackTable table = new ConntrackTable(10, GRACE);
        TupleKey original = key("10.0.0.1", 1, "10.0.0.99", 80);
        table.put(original, key("10.0.0.2", 80, "10.0.0.1", 1));

        table.destroyed(original, 10_000);
        table.expire(10_000 + GRACE - 2);
        assertThat(table.lookup(original)).isNotNull();

        table.expire(10_000 + GRACE);
        assertThat(table.lookup(original)).isNull();
        assertThat(table.size()).isZero();
        assertThat(table.expired()).isEqualTo(1);
    }

    @Test
    void anEntryCreatedAgainAfterItsDestructionIsNotForgotten() {
        ConntrackTable table = new ConntrackTable(10, GRACE);
        TupleKey original = key("10.0.0.1", 1, "10.0.0.99", 80);
        TupleKey reply = key("10.0.0.2", 80, "10.0.0.1", 1);
        table.put(original, reply);
        table.destroyed(original, 10_000);

        table.put(original, reply);
        table.expire(10_000 + 2 * GRACE);

        assertThat(table.lookup(original)).isNotNull();
        assertThat(table.expired()).isZero();
    }

    @Test
    void ipv4AndIpv6TuplesNeverCollide() {
        byte[] v4 = {1, 2, 3, 4};
        byte[] v6 = new byte[16];
        System.arraycopy(v4, 0, v6, 0, 4);

        assertThat(TupleKey.of(v4, v4, 4, 1, 2, 6)).isNotEqualTo(TupleKey.of(v6, v6, 16, 1, 2, 6));
    }

    private static TupleKey key(String source, int sourcePort, String destination, int destinationPort) {
        byte[] s = ip(source).getAddress();
        return TupleKey.of(s, ip(destination).getAddress(), s.length, sourcePort, destinationPort, 6);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
