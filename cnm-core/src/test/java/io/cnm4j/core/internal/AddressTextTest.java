package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {
    @ParameterizedTest
    @CsvSource({
        "::1, ::1",
        "::, ::",
        "2001:db8::1, 2001:db8::1",
        "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:0:0:1:0:0, 2001:db8::1:0:0",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "1:0:0:0:0:0:0:0, 1::",
        "fe80::1%2, fe80::1",
        "10.0.0.5, 10.0.0.5",
        "::ffff:1.2.3.4, 1.2.3.4"})
    void addressesAreWrittenInCanonicalForm(String input, String expected) throws UnknownHostException {
        // InetAddress.getByName turns ::ffff:1.2.3.4 into an Inet4Address, hence the dotted quad.
        assertThat(AddressText.of(InetAddress.getByName(input))).isEqualTo(expected);
    }

    @Test
    void ipv4MappedInet6AddressIsWrittenInMixedNotation() throws UnknownHostException {
        // given
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4};
        Inet6Address address = Inet6Address.getByAddress(null, mapped, -1);

        // when
        String text = AddressText.of(address);

        // then
        assertThat(text).isEqualTo("::ffff:1.2.3.4");
    }
}
