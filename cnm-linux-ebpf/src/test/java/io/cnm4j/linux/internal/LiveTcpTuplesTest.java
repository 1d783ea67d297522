package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LiveTcpTuplesTest {
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid";

    @Test
    void liveSocketsAreFoundByTupleAndTimeWaitOnesAreNot() throws Exception {
        // 127.0.0.1:40000 -> 127.0.0.1:80 established; 127.0.0.1:40001 -> 127.0.0.1:80 in TIME_WAIT
        List<String> table = List.of(HEADER,
                "   0: 0100007F:9C40 0100007F:0050 01 00000000:00000000 00:00000000 00000000     0",
                "   1: 0100007F:9C41 0100007F:0050 06 00000000:00000000 00:00000000 00000000     0");
        // [::1]:443 -> [::ffff:10.0.0.2]:50000 established, in tcp6 word order
        List<String> table6 = List.of(HEADER,
                "   0: 00000000000000000000000001000000:01BB 0000000000000000FFFF00000200000A:C350 01 0");
        Set<String> tuples = new HashSet<>();
        LiveTcpTuples.parse(table, tuples);
        LiveTcpTuples.parse(table6, tuples);
        LiveTcpTuples live = new LiveTcpTuples(tuples);
        byte[] loopback = InetAddress.getByName("127.0.0.1").getAddress();
        byte[] ipv6Loopback = InetAddress.getByName("::1").getAddress();
        byte[] peer = InetAddress.getByName("10.0.0.2").getAddress();

        assertThat(live.contains(loopback, 4, 40000, loopback, 4, 80)).isTrue();
        assertThat(live.contains(loopback, 4, 40001, loopback, 4, 80)).isFalse();
        assertThat(live.contains(ipv6Loopback, 16, 443, peer, 4, 50000)).isTrue();
        assertThat(live.contains(loopback, 4, 40002, loopback, 4, 80)).isFalse();
    }
}
