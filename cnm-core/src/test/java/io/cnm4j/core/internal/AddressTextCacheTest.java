package io.cnm4j.core.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressTextCacheTest {
    @Test
    void textsAreTheCanonicalForms() throws UnknownHostException {
        // given
        AddressTextCache cache = new AddressTextCache(16);
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 0, 0, 1};

        // when / then
        assertThat(text(cache, InetAddress.getByName("192.0.2.7"))).isEqualTo("192.0.2.7");
        assertThat(text(cache, InetAddress.getByName("2001:DB8:0:0:0:0:0:FFFF"))).isEqualTo("2001:db8::ffff");
        assertThat(text(cache, InetAddress.getByName("fe80::1%1"))).isEqualTo("fe80::1");
        assertThat(text(cache, Inet6Address.getByAddress(null, mapped, -1))).isEqualTo("::ffff:10.0.0.1");
    }

    @Test
    void anEqualAddressFindsTheTextAlreadyMade() throws UnknownHostException {
        // given: two instances of one address
        AddressTextCache cache = new AddressTextCache(16);
        byte[] first = cache.text(InetAddress.getByName("2a00:1450:4007:80e::200e"));

        // when
        byte[] second = cache.text(InetAddress.getByName("2a00:1450:4007:80e::200e"));

        // then
        assertThat(second).isSameAs(first);
    }

    @Test
    void addressesSharingTheOnlySlotEachGetTheirOwnText() throws UnknownHostException {
        // given
        AddressTextCache cache = new AddressTextCache(1);
        InetAddress a = InetAddress.getByName("10.0.0.1");
        InetAddress b = InetAddress.getByName("2001:db8::2");

        // when / then: each replaces the other, and is never answered with the other's text
        for (int i = 0; i < 3; i++) {
            assertThat(text(cache, a)).isEqualTo("10.0.0.1");
            assertThat(text(cache, b)).isEqualTo("2001:db8::2");
        }
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new AddressTextCache(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slots must be a power of two: 0");
        assertThatThrownBy(() -> new AddressTextCache(12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slots must be a power of two: 12");
    }

    private static String text(AddressTextCache cache, InetAddress address) {
        return new String(cache.text(address), US_ASCII);
    }
}
