package io.cnm4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** The lines of cnm watch --json and of tcplife count closed storm connections by side, and their loss. */
class CaptureLineCountingTest {
    private static final int SERVER_PORT = 40_000;

    @Test
    void watchLinesCountClosedConnectionsPerSideAndTelemetryLoss() {
        // given
        StormTally tally = new StormTally();
        tally.expect(SERVER_PORT);

        // when
        WatchCapture.count(conn(51000, SERVER_PORT, 1), tally);   // client side
        WatchCapture.count(conn(51001, SERVER_PORT, 2), tally);   // two client sockets on one tuple
        WatchCapture.count(conn(SERVER_PORT, 51000, 1), tally);   // server side
        WatchCapture.count(conn(SERVER_PORT, 51002, 0), tally);   // still open
        WatchCapture.count(conn(51003, 443, 1), tally);           // another server
        WatchCapture.count("{\"type\":\"telemetry\",\"ts\":1764000000000,\"backend\":\"linux-ebpf\","
                + "\"queue_dropped\":3,\"events_applied\":900,\"ring_buffer_dropped\":4,\"kernel_sk_storage_failed\":1}",
                tally);
        WatchCapture.count("{\"type\":\"dns\",\"ts\":1}", tally);

        // then
        assertThat(tally.clientSide()).isEqualTo(3);
        assertThat(tally.serverSide()).isEqualTo(1);
        assertThat(tally.lossByCounter()).containsExactly(entry("kernel_sk_storage_failed", 1L),
                entry("queue_dropped", 3L), entry("ring_buffer_dropped", 4L));
        assertThat(tally.loss()).isEqualTo(8);
    }

    @Test
    void tcplifeLinesCountClosedSocketsPerSideAndLostEvents() {
        // given
        StormTally tally = new StormTally();
        tally.expect(SERVER_PORT);

        // when
        TcplifeCapture.count("PID     COMM             LADDR           LPORT RADDR           RPORT TX_KB  RX_KB  MS", tally);
        TcplifeCapture.count("4321    storm            127.0.0.1       51000 127.0.0.1       40000 0.00   0.00   0.05", tally);
        TcplifeCapture.count("4321    storm            127.0.0.1       40000 127.0.0.1       51000 0.00   0.00   0.04", tally);
        TcplifeCapture.count("77      my worker        127.0.0.1       51001 127.0.0.1       40000 0.00   0.00   0.05", tally);
        TcplifeCapture.count("77      curl             10.0.0.2        51002 10.0.0.9        443   1.00   9.00   12.00", tally);
        TcplifeCapture.count("lost 12 events on CPU #1", tally);

        // then
        assertThat(tally.clientSide()).isEqualTo(2);
        assertThat(tally.serverSide()).isEqualTo(1);
        assertThat(tally.lossByCounter()).containsExactly(entry("lost_events", 12L));
    }

    @Test
    void expectingANewPortStartsFromZero() {
        // given
        StormTally tally = new StormTally();
        tally.expect(SERVER_PORT);
        tally.closed(51000, SERVER_PORT, 5);
        tally.lost("queue_dropped", 2);

        // when
        tally.expect(SERVER_PORT + 1);
        tally.closed(51000, SERVER_PORT, 5);

        // then
        assertThat(tally.clientSide()).isZero();
        assertThat(tally.serverSide()).isZero();
        assertThat(tally.lossByCounter()).isEmpty();
    }

    private static String conn(int localPort, int remotePort, int closed) {
        return "{\"type\":\"conn\",\"ts\":1764000000000,\"proto\":\"tcp\",\"family\":\"v4\",\"laddr\":\"127.0.0.1\","
                + "\"lport\":" + localPort + ",\"raddr\":\"127.0.0.1\",\"rport\":" + remotePort
                + ",\"direction\":\"local\",\"pid\":4321,\"netns\":4026531840,\"cookie\":77,\"bytes_sent\":1,"
                + "\"bytes_recv\":1,\"packets_sent\":3,\"packets_recv\":3,\"retransmits\":0,\"tcp_established\":1,"
                + "\"tcp_closed\":" + closed + ",\"rtt_us\":12,\"rtt_var_us\":6,\"tcp_failures\":{},\"closed\":true,"
                + "\"intra_host\":true,\"duration_ms\":0,\"nat\":null,\"dns_names\":[],\"tags\":{}}";
    }
}
