package io.cnm4j.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.dns.internal.IpPacketDecoder.Result;
import io.cnm4j.dns.testing.IpPacketBuilder;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpPacketDecoderTest {
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};

    private final IpPacketDecoder decoder = new IpPacketDecoder(Set.of(53), false);

    @Test
    void ipv4UdpGivesFlowAndPayloadBounds() {
        // given
        byte[] packet = IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.53", 53).payload(PAYLOAD).build();

        // when
        Result result = decoder.decode(packet, packet.length);

        // then
        assertThat(result).isEqualTo(Result.DNS_UDP);
        assertThat(decoder.flow()).hasToString("udp 10.0.0.5:40000 -> 10.0.0.53:53");
        assertThat(decoder.payloadOffset()).isEqualTo(28);
        assertThat(decoder.payloadLength()).isEqualTo(13);
    }

    @Test
    void linkPaddingAfterThePacketIsNotPayload() {
        byte[] packet = IpPacketBuilder.udp("10.0.0.53", 53, "10.0.0.5", 40000).payload(PAYLOAD).padding(6).build();

        assertThat(decoder.decode(packet, packet.length)).isEqualTo(Result.DNS_UDP);
        assertThat(decoder.payloadLength()).isEqualTo(13);
    }

    @Test
    void ipv4OptionsAreSkipped() {
        byte[] packet = IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.53", 53).ipv4Options(3).payload(PAYLOAD).build();

        assertThat(decoder.decode(packet, packet.length)).isEqualTo(Result.DNS_UDP);
        assertThat(decoder.payloadOffset()).isEqualTo(40);
        assertThat(decoder.payloadLength()).isEqualTo(13);
    }

    @Test
    void tcpGivesSequenceFlagsAndPayloadAfterOptions() {
        // given: sequence number above 2^31, SYN|ACK flags, 12 bytes of TCP options
        byte[] packet = IpPacketBuilder.tcp("10.0.0.53", 53, "10.0.0.5", 40000)
                .tcpSegment(0xF000_0001, 0x12, 3).payload(PAYLOAD).build();

        // when
        Result result = decoder.decode(packet, packet.length);

        // then
        assertThat(result).isEqualTo(Result.DNS_TCP);
        assertThat(decoder.flow()).hasToString("tcp 10.0.0.53:53 -> 10.0.0.5:40000");
        assertThat(decoder.tcpSequence()).isEqualTo(0xF000_0001);
        assertThat(decoder.tcpFlags()).isEqualTo(0x12);
        assertThat(decoder.payloadOffset()).isEqualTo(20 + 32);
        assertThat(decoder.payloadLength()).isEqualTo(13);
    }

    @Test
    void ipv6UdpAndTcpAreDecoded() {
        byte[] udp = IpPacketBuilder.udp("fd00::5", 40000, "fd00::53", 53).payload(PAYLOAD).build();
        byte[] tcp = IpPacketBuilder.tcp("fd00::53", 53, "fd00::5", 40000).tcpSegment(7, 0x18, 0).build();

        assertThat(decoder.decode(udp, udp.length)).isEqualTo(Result.DNS_UDP);
        assertThat(decoder.flow()).hasToString("udp fd00:0:0:0:0:0:0:5:40000 -> fd00:0:0:0:0:0:0:53:53");
        assertThat(decoder.payloadOffset()).isEqualTo(48);
        assertThat(decoder.payloadLength()).isEqualTo(13);
        assertThat(decoder.decode(tcp, tcp.length)).isEqualTo(Result.DNS_TCP);
        assertThat(decoder.payloadLength()).isZero();
    }

    @Test
    void oddPacketsAreClassifiedNotMisread() {
        byte[] otherPort = IpPacketBuilder.udp("10.0.0.5", 40000, "10.0.0.80", 80).build();
        byte[] extension = IpPacketBuilder.udp("fd00::5", 40000, "fd00::53", 53).ipv6HopByHop().build();
        byte[] fragment = IpPacketBuilder.udp("10.0.0.53", 53, "10.0.0.5", 40000).fragmentField(0x2000).build();
        byte[] full = IpPacketBuilder.udp("10.0.0.53", 53, "10.0.0.5", 40000).payload(PAYLOAD).build();
        byte[] badUdpLength = full.clone();
        badUdpLength[24] = 0;
        badUdpLength[25] = 7;
        byte[] notIp = {0x10, 0, 0, 0};

        assertThat(decoder.decode(otherPort, otherPort.length)).isEqualTo(Result.NOT_DNS);
        assertThat(decoder.decode(extension, extension.length)).isEqualTo(Result.NOT_DNS);
        assertThat(decoder.decode(fragment, fragment.length)).isEqualTo(Result.FRAGMENT);
        assertThat(decoder.decode(Arrays.copyOf(full, full.length - 1), full.length - 1)).isEqualTo(Result.TRUNCATED);
        assertThat(decoder.decode(full, 19)).isEqualTo(Result.TRUNCATED);
        assertThat(decoder.decode(badUdpLength, badUdpLength.length)).isEqualTo(Result.MALFORMED);
        assertThat(decoder.decode(notIp, notIp.length)).isEqualTo(Result.MALFORMED);
    }

    @Test
    void loopbackToLoopbackIsIgnoredUnlessLocalDnsIsCollected() {
        // given
        byte[] v4 = IpPacketBuilder.udp("127.0.0.1", 40000, "127.0.0.53", 53).build();
        byte[] v6 = IpPacketBuilder.udp("::1", 40000, "::1", 53).build();
        byte[] toHostAddress = IpPacketBuilder.udp("127.0.0.1", 40000, "10.0.0.53", 53).build();
        IpPacketDecoder collecting = new IpPacketDecoder(Set.of(53), true);

        // then
        assertThat(decoder.decode(v4, v4.length)).isEqualTo(Result.LOCAL_IGNORED);
        assertThat(decoder.decode(v6, v6.length)).isEqualTo(Result.LOCAL_IGNORED);
        assertThat(decoder.decode(toHostAddress, toHostAddress.length)).isEqualTo(Result.DNS_UDP);
        assertThat(collecting.decode(v4, v4.length)).isEqualTo(Result.DNS_UDP);
        assertThat(collecting.decode(v6, v6.length)).isEqualTo(Result.DNS_UDP);
    }
}
