package io.cnm4j.linux.internal.sockdiag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TcpSnmpTest {
    private static final List<String> SNMP = List.of(
            "Ip: Forwarding DefaultTTL InReceives",
            "Ip: 2 64 100",
            "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab",
            "Tcp: 1 200 120000 -1 31 17 3 2 5",
            "Udp: InDatagrams NoPorts",
            "Udp: 1 2");

    @Test
    void readsTheOpenAndFailureCountersByName() {
        assertThat(TcpSnmp.parse(SNMP)).isEqualTo(new TcpSnmp(31, 17, 3, 2));
    }

    @Test
    void opensAreActivePlusPassiveSinceAnEarlierReading() {
        assertThat(new TcpSnmp(40, 20, 3, 2).opensSince(new TcpSnmp(31, 17, 3, 2))).isEqualTo(12);
    }

    @Test
    void aFileWithoutTcpLinesGivesNothing() {
        assertThat(TcpSnmp.parse(List.of("Ip: Forwarding", "Ip: 2"))).isNull();
        assertThat(TcpSnmp.parse(List.of("Tcp: ActiveOpens", "Tcp: x"))).isNull();
    }
}
