package io.cnm4j.linux.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.dns.testing.IpPacketBuilder;
import io.cnm4j.linux.internal.dns.ClassicBpfInterpreter.Metadata;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DnsSocketFilterTest {
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86DD;
    private static final int ETH_P_ARP = 0x0806;
    private static final Metadata IPV4_IN = Metadata.ethernetIncoming(ETH_P_IP);
    private static final Metadata IPV6_IN = Metadata.ethernetIncoming(ETH_P_IPV6);

    private final DnsSocketFilter dns = DnsSocketFilter.forPorts(Set.of(53));

    @Test
    void keepsUdpAndTcpToAndFromTheDnsPortWholly() {
        assertThat(run(IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.53", 53), IPV4_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(run(IpPacketBuilder.udp("10.0.0.53", 53, "10.0.0.5", 40000), IPV4_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(run(IpPacketBuilder.tcp("10.0.0.5", 40000, "10.0.0.53", 53), IPV4_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(run(IpPacketBuilder.udp("fd00::5", 40000, "fd00::53", 53), IPV6_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(run(IpPacketBuilder.tcp("fd00::53", 53, "fd00::5", 40000), IPV6_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
    }

    @Test
    void dropsOtherPortsProtocolsAndEtherTypes() {
        assertThat(run(IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.80", 80), IPV4_IN)).isZero();
        assertThat(run(IpPacketBuilder.udp("fd00::5", 40000, "fd00::80", 80), IPV6_IN)).isZero();
        assertThat(run(IpPacketBuilder.udp("10.0.0.5", 53, "10.0.0.53", 53).protocol(IpPacketBuilder.ICMP), IPV4_IN))
                .isZero();
        assertThat(run(IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.53", 53), Metadata.ethernetIncoming(ETH_P_ARP)))
                .isZero();
    }

    @Test
    void readsPortsAfterIpv4Options() {
        // given: 8 bytes of options; a DNS port placed where ports sit without options must not match
        IpPacketBuilder withOptions = IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.53", 53).ipv4Options(2);
        IpPacketBuilder notDns = IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.80", 80).ipv4Options(1);

        // then
        assertThat(run(withOptions, IPV4_IN)).isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(run(notDns, IPV4_IN)).isZero();
    }

    @Test
    void keepsTheFirstIpv4FragmentAndDropsTheOthers() {
        IpPacketBuilder first = IpPacketBuilder.udp("10.0.0.53", 53, "10.0.0.5", 40000).fragmentField(0x2000);
        IpPacketBuilder later = IpPacketBuilder.udp("10.0.0.53", 53, "10.0.0.5", 40000).fragmentField(0x2000 | 185);
        IpPacketBuilder last = IpPacketBuilder.udp("10.0.0.53", 53, "10.0.0.5", 40000).fragmentField(185);

        assertThat(run(first, IPV4_IN)).isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(run(later, IPV4_IN)).isZero();
        assertThat(run(last, IPV4_IN)).isZero();
    }

    @Test
    void dropsIpv6WithExtensionHeaders() {
        assertThat(run(IpPacketBuilder.udp("fd00::5", 40000, "fd00::53", 53).ipv6HopByHop(), IPV6_IN)).isZero();
    }

    @Test
    void dropsTheOutgoingCopyOfLoopbackPacketsOnly() {
        IpPacketBuilder query = IpPacketBuilder.udp("127.0.0.1", 40000, "127.0.0.53", 53);

        assertThat(run(query, new Metadata(ETH_P_IP, CapturedPacket.PACKET_OUTGOING, CapturedPacket.ARPHRD_LOOPBACK, 14)))
                .isZero();
        assertThat(run(query, new Metadata(ETH_P_IP, 0, CapturedPacket.ARPHRD_LOOPBACK, 14)))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(run(query, new Metadata(ETH_P_IP, CapturedPacket.PACKET_OUTGOING, 1, 14)))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
    }

    @Test
    void worksWithoutALinkLayerHeader() {
        // a raw-IP tunnel (ARPHRD_NONE): the network header is at offset 0
        Metadata tunnel = new Metadata(ETH_P_IP, 0, 0xFFFE, 0);

        assertThat(run(IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.53", 53), tunnel))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(run(IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.80", 80), tunnel)).isZero();
    }

    @Test
    void matchesEveryConfiguredPort() {
        DnsSocketFilter filter = DnsSocketFilter.forPorts(Set.of(53, 5353, 8600));

        assertThat(ClassicBpfInterpreter.run(filter,
                IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.53", 8600).build(), IPV4_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(ClassicBpfInterpreter.run(filter,
                IpPacketBuilder.udp("10.0.0.53", 5353, "10.0.0.5", 40000).build(), IPV4_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(ClassicBpfInterpreter.run(filter,
                IpPacketBuilder.udp("10.0.0.53", 5354, "10.0.0.5", 40000).build(), IPV4_IN)).isZero();
    }

    @Test
    void beyondTheKernelPortLimitEveryUdpAndTcpPacketIsKept() {
        // given
        Set<Integer> manyPorts = IntStream.rangeClosed(1000, 1000 + DnsSocketFilter.MAX_FILTERED_PORTS)
                .boxed().collect(Collectors.toSet());
        DnsSocketFilter atLimit = DnsSocketFilter.forPorts(IntStream.range(1000, 1000 + DnsSocketFilter.MAX_FILTERED_PORTS)
                .boxed().collect(Collectors.toSet()));

        // when
        DnsSocketFilter filter = DnsSocketFilter.forPorts(manyPorts);

        // then
        assertThat(ClassicBpfInterpreter.run(filter,
                IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.80", 80).build(), IPV4_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(ClassicBpfInterpreter.run(atLimit,
                IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.80", 1059).build(), IPV4_IN))
                .isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
        assertThat(ClassicBpfInterpreter.run(atLimit,
                IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.80", 80).build(), IPV4_IN)).isZero();
    }

    @Test
    void truncatedHeadersAreDroppedNotMisread() {
        byte[] full = IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.53", 53).build();
        byte[] cut = java.util.Arrays.copyOf(full, 21);

        assertThat(ClassicBpfInterpreter.run(dns, cut, IPV4_IN)).isZero();
    }

    @Test
    void sockFprogHoldsTheLengthAndAPointerToEightByteInstructions() {
        try (Arena arena = Arena.ofConfined()) {
            // when
            MemorySegment program = dns.toSockFprog(arena);

            // then
            assertThat(Short.toUnsignedInt(program.get(ValueLayout.JAVA_SHORT, 0))).isEqualTo(dns.length());
            MemorySegment instructions = program.get(ValueLayout.ADDRESS, 8).reinterpret(8L * dns.length());
            int last = dns.length() - 1;
            assertThat(Short.toUnsignedInt(instructions.get(ValueLayout.JAVA_SHORT, 8L * last))).isEqualTo(0x06);
            assertThat(instructions.get(ValueLayout.JAVA_INT, 8L * last + 4)).isEqualTo(DnsSocketFilter.ACCEPT_BYTES);
            // the first instruction loads the packet type: ld [SKF_AD_OFF + SKF_AD_PKTTYPE]
            assertThat(Short.toUnsignedInt(instructions.get(ValueLayout.JAVA_SHORT, 0))).isEqualTo(0x20);
            assertThat(instructions.get(ValueLayout.JAVA_INT, 4)).isEqualTo(-0x1000 + 4);
        }
    }

    private int run(IpPacketBuilder packet, Metadata metadata) {
        return ClassicBpfInterpreter.run(dns, packet.build(), metadata);
    }
}
