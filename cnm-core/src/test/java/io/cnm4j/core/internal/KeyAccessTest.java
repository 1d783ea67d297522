package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.Family;
import io.cnm4j.core.Protocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Keys the engine packs from a backend's bytes equal keys built from the addresses InetAddress makes of them. */
class KeyAccessTest {
    private static final KeyAccess KEYS = KeyAccess.get();

    @Test
    void packedKeysEqualKeysBuiltFromInetAddresses() throws Exception {
        for (String[] pair : new String[][] {{"10.0.0.1", "192.168.7.200"}, {"2001:db8::1", "fe80::abcd:1"},
                {"::ffff:10.0.0.1", "::ffff:255.1.2.3"}}) {
            InetAddress local = InetAddress.getByName(pair[0]);
            InetAddress remote = InetAddress.getByName(pair[1]);
            Family family = pair[0].contains(":") ? Family.V6 : Family.V4;
            ConnectionKey built = new ConnectionKey(family, Protocol.TCP, local, 40000, remote, 443, 7, 9);

            ConnectionKey packed = KEYS.create(family, Protocol.TCP, backendBytes(pair[0]), 40000,
                    backendBytes(pair[1]), 443, 7, 9);

            assertThat(packed).isEqualTo(built).hasSameHashCodeAs(built).hasToString(built.toString());
            assertThat(packed.compareTo(built)).isZero();
            assertThat(packed.localAddress()).isEqualTo(local).hasSameClassAs(local);
            assertThat(packed.remoteAddress()).isEqualTo(remote).hasSameClassAs(remote);
            assertThat(KEYS.remoteIs(packed, family, backendBytes(pair[1]))).isTrue();
            assertThat(KEYS.remoteIs(packed, family, backendBytes(pair[0]))).isFalse();
            assertThat(KEYS.withPid(packed, 8)).isEqualTo(new ConnectionKey(family, Protocol.TCP, local, 40000,
                    remote, 443, 8, 9));
        }
    }

    @Test
    void anIpv4MappedInet6AddressStaysOneAndDiffersFromItsIpv4Address() throws Exception {
        byte[] mapped = backendBytes("::ffff:10.0.0.1");
        Inet6Address six = Inet6Address.getByAddress(null, mapped, (NetworkInterface) null);
        InetAddress four = InetAddress.getByName("10.0.0.1");

        ConnectionKey withSix = new ConnectionKey(Family.V6, Protocol.UDP, six, 1, four, 2, 0, 0);
        ConnectionKey withFour = new ConnectionKey(Family.V6, Protocol.UDP, four, 1, four, 2, 0, 0);

        assertThat(withSix.localAddress()).isInstanceOf(Inet6Address.class).isEqualTo(six);
        assertThat(withFour.localAddress()).isInstanceOf(Inet4Address.class);
        assertThat(withSix).isNotEqualTo(withFour);
        assertThat(withSix.localAddressText()).isEqualTo("::ffff:10.0.0.1");
    }

    @Test
    void addressesOrderAsTheirBytesWithAShorterPrefixFirst() throws Exception {
        String[] addresses = {"10.0.0.1", "10.0.0.2", "255.0.0.1", "a00:1::", "a00:1::1", "ffff::", "::"};
        for (String a : addresses) {
            for (String b : addresses) {
                InetAddress first = InetAddress.getByName(a);
                InetAddress second = InetAddress.getByName(b);
                int expected = Integer.signum(Arrays.compareUnsigned(first.getAddress(), second.getAddress()));

                int order = new ConnectionKey(Family.V6, Protocol.TCP, first, 1, first, 1, 0, 0)
                        .compareTo(new ConnectionKey(Family.V6, Protocol.TCP, second, 1, second, 1, 0, 0));

                assertThat(Integer.signum(order)).as("%s vs %s", a, b).isEqualTo(expected);
            }
        }
    }

    /** The buffer a backend fills: 16 bytes, an IPv4 address in the first 4. */
    private static byte[] backendBytes(String text) throws Exception {
        byte[] buffer = new byte[16];
        byte[] address = text.startsWith("::ffff:") ? mappedBytes(text.substring(7))
                : InetAddress.getByName(text).getAddress();
        System.arraycopy(address, 0, buffer, 0, address.length);
        return buffer;
    }

    private static byte[] mappedBytes(String ipv4) throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, mapped, 12, 4);
        return mapped;
    }
}
