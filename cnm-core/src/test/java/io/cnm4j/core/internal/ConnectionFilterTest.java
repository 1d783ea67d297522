package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionFilterTest {
    private static ConnectionKey key(Protocol protocol, String local, int localPort, String remote, int remotePort)
            throws Exception {
        InetAddress l = InetAddress.getByAddress(InetLiteral.parse(local));
        InetAddress r = InetAddress.getByAddress(InetLiteral.parse(remote));
        return new ConnectionKey(l.getAddress().length == 4 ? Family.V4 : Family.V6, protocol, l, localPort, r,
                remotePort, 1, 1);
    }

    @ParameterizedTest(name = "{0} {1}:{2} -> {3}:{4} excluded={5}")
    @CsvSource({
            "TCP, 10.1.2.3, 5000, 8.8.8.8, 443, true",
            "TCP, 11.1.2.3, 5000, 8.8.8.8, 22, true",
            "UDP, 11.1.2.3, 5000, 8.8.8.8, 22, false",
            "UDP, 11.1.2.3, 5000, 192.168.1.9, 8100, true",
            "TCP, 11.1.2.3, 5000, 192.168.1.9, 8100, false",
            "UDP, 11.1.2.3, 5000, 192.168.1.9, 9001, false",
            "TCP, 2001:db8::5, 5000, 2001:db9::1, 80, true",
            "TCP, 2001:db9::5, 5000, 2001:db9::1, 80, false",
    })
    void datadogStyleRulesExcludeExactlyTheMatchingConnections(Protocol protocol, String local, int localPort,
            String remote, int remotePort, boolean excluded) throws Exception {
        ConnectionFilter filter = ConnectionFilter.compile(
                Map.of("10.0.0.0/8", List.of("*"), "2001:db8::/32", List.of("tcp *")),
                Map.of("*", List.of("tcp 22"), "192.168.1.0/24", List.of("udp 8000-9000")));

        assertThat(filter.excludes(key(protocol, local, localPort, remote, remotePort))).isEqualTo(excluded);
    }
}
