package io.cnm4j.linux.internal.conntrack;

import static io.cnm4j.linux.internal.conntrack.NatResolverIT.HOST;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.SERVER;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.SERVER_TCP;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.SERVER_UDP;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.VIRTUAL;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.VIRTUAL_TCP;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.echoedTcp;
import static io.cnm4j.linux.internal.conntrack.NatResolverIT.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Feature;
import io.cnm4j.core.FlowClient;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NatTranslation;
import io.cnm4j.core.NetworkMonitor;
import io.cnm4j.linux.LinuxSockDiagBackendProvider;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** NAT is not tied to a backend: the sock_diag backend (here as root) carries the translation too. */
class SockDiagNatIT {
    @Test
    void aDnatConnectionSeenBySockDiagCarriesTheServerTuple() throws Exception {
        try (NatTestNetwork network = NatTestNetwork.require()) {
            String serverNamespace = network.namespace("d");
            network.veth(serverNamespace, "d", HOST, SERVER);
            network.echoServer(serverNamespace, SERVER, SERVER_TCP, SERVER_UDP);
            network.nftTable(null, "ip", "cnm_nat_test_" + NatTestNetwork.RUN + "d", """
                    chain out {
                        type nat hook output priority -100; policy accept;
                        ip daddr %s tcp dport %d dnat to %s:%d
                    }""".formatted(VIRTUAL, VIRTUAL_TCP, SERVER, SERVER_TCP));
            MonitorConfig config = MonitorConfig.defaults().toBuilder().backend(LinuxSockDiagBackendProvider.NAME).build();
            try (NetworkMonitor monitor = NetworkMonitor.builder().config(config).build()) {
                FlowClient client = monitor.registerClient("sockdiag-nat");
                monitor.start();
                assertThat(monitor.capabilities().has(Feature.NAT)).as(monitor.capabilities().report()).isTrue();

                try (Socket socket = echoedTcp(VIRTUAL, VIRTUAL_TCP)) {
                    int port = socket.getLocalPort();
                    ConnectionStats c = NatResolverIT.await(() -> client.poll().connections().stream()
                            .filter(s -> s.key().localPort() == port && s.nat() != null).findFirst().orElse(null));

                    assertThat(c).isNotNull();
                    assertThat(c.key().remoteAddress()).isEqualTo(ip(VIRTUAL));
                    assertThat(c.nat()).isEqualTo(new NatTranslation(ip(HOST), port, ip(SERVER), SERVER_TCP));
                    assertThat(c.last().bytesSent()).isEqualTo(1000);
                }
            }
        }
    }
}
