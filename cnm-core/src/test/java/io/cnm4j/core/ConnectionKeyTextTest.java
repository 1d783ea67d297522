package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConnectionKeyTextTest {
    @Test
    void addressesReadAsTheJsonLinesWriteThem() throws Exception {
        // given
        ConnectionKey key = new ConnectionKey(Family.V6, Protocol.TCP,
                InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 40000, InetAddress.getByName("fe80::1%1"), 443, 7, 9);

        // then
        assertThat(key.localAddressText()).isEqualTo("2001:db8::1:0:0:1");
        assertThat(key.remoteAddressText()).isEqualTo("fe80::1");
        assertThat(key).hasToString("tcp 2001:db8::1:0:0:1:40000 -> fe80::1:443 pid=7 netns=9");
    }

    @Test
    void ipv4AddressesStayDotted() throws Exception {
        ConnectionKey key = new ConnectionKey(Family.V4, Protocol.UDP, InetAddress.getByName("10.0.0.5"), 53000,
                InetAddress.getByName("10.0.0.53"), 53, 0, 0);

        assertThat(key.localAddressText()).isEqualTo("10.0.0.5");
        assertThat(key.remoteAddressText()).isEqualTo("10.0.0.53");
    }

    @Test
    void addressBytesAreCopiedInNetworkOrderWithTheirLength() throws Exception {
        // given
        ConnectionKey key = new ConnectionKey(Family.V6, Protocol.TCP, InetAddress.getByName("10.0.0.5"), 1,
                InetAddress.getByName("2001:db8::ff01"), 2, 0, 0);
        byte[] into = new byte[16];

        // when
        int localLength = key.copyAddressBytes(false, into);
        byte[] local = Arrays.copyOf(into, localLength);
        int remoteLength = key.copyAddressBytes(true, into);

        // then
        assertThat(local).containsExactly(10, 0, 0, 5);
        assertThat(remoteLength).isEqualTo(16);
        assertThat(into).containsExactly(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x01);
    }
}
