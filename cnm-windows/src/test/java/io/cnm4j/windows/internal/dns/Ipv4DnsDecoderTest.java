package io.cnm4j.windows.internal.dns;

import static io.cnm4j.windows.internal.dns.CapturedPackets.CLIENT;
import static io.cnm4j.windows.internal.dns.CapturedPackets.RESOLVER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Ipv4DnsDecoderTest {
    private final Ipv4DnsDecoder decoder = new Ipv4DnsDecoder(Set.of(53), false);

    @Test
    void udpQueryGivesFlowAndPayloadBounds() {
        byte[] query = CapturedPackets.query(0x1234, "example.com");
        byte[] packet = CapturedPackets.udp(CLIENT, 50_001, RESOLVER, 53, query);
        assertThat(decoder.decode(packet, packet.length)).isEqualTo(Ipv4DnsDecoder.Outcome.UDP);
        assertThat(decoder.payloadOffset()).isEqualTo(28);
        assertThat(decoder.payloadLength()).isEqualTo(query.length);
        assertThat(decoder.flow().toString()).isEqualTo("udp 10.0.0.5:50001 -> 8.8.4.4:53");
    }

    @Test
    void tcpSegmentGivesSequenceFlagsAndPayload() {
        byte[] framed = CapturedPackets.tcpFramed(CapturedPackets.query(7, "example.com"));
        byte[] packet = CapturedPackets.tcp(CLIENT, 50_002, RESOLVER, 53, 0x80000001, 0x18, framed);
        assertThat(decoder.decode(packet, packet.length)).isEqualTo(Ipv4DnsDecoder.Outcome.TCP);
        assertThat(decoder.tcpSequence()).isEqualTo(0x80000001);
        assertThat(decoder.tcpFlags()).isEqualTo(0x18);
        assertThat(decoder.payloadOffset()).isEqualTo(40);
        assertThat(decoder.payloadLength()).isEqualTo(framed.length);
        assertThat(decoder.flow().toString()).isEqualTo("tcp 10.0.0.5:50002 -> 8.8.4.4:53");
    }

    @Test
    void badOrForeignPacketsAreClassifiedNotRead() {
        byte[] packet = CapturedPackets.udp(CLIENT, 50_001, RESOLVER, 53, CapturedPackets.query(1, "a.b"));
        assertThat(decoder.decode(packet, 19)).isEqualTo(Ipv4DnsDecoder.Outcome.TRUNCATED);
        assertThat(decoder.decode(packet, packet.length - 1)).isEqualTo(Ipv4DnsDecoder.Outcome.TRUNCATED);

        byte[] fragment = packet.clone();
        fragment[6] = 0x20;
        assertThat(decoder.decode(fragment, fragment.length)).isEqualTo(Ipv4DnsDecoder.Outcome.FRAGMENT);

        byte[] lyingUdp = packet.clone();
        lyingUdp[24] = 0x7F;
        assertThat(decoder.decode(lyingUdp, lyingUdp.length)).isEqualTo(Ipv4DnsDecoder.Outcome.MALFORMED);

        byte[] shortIhl = packet.clone();
        shortIhl[0] = 0x44;
        assertThat(decoder.decode(shortIhl, shortIhl.length)).isEqualTo(Ipv4DnsDecoder.Outcome.MALFORMED);

        byte[] ipv6 = packet.clone();
        ipv6[0] = 0x60;
        assertThat(decoder.decode(ipv6, ipv6.length)).isEqualTo(Ipv4DnsDecoder.Outcome.NOT_DNS);

        byte[] otherPort = CapturedPackets.udp(CLIENT, 50_001, RESOLVER, 5353, CapturedPackets.query(1, "a.b"));
        assertThat(decoder.decode(otherPort, otherPort.length)).isEqualTo(Ipv4DnsDecoder.Outcome.NOT_DNS);

        byte[] loopback = CapturedPackets.udp(new byte[] {127, 0, 0, 1}, 50_001, new byte[] {127, 0, 0, 53}, 53,
                CapturedPackets.query(1, "a.b"));
        assertThat(decoder.decode(loopback, loopback.length)).isEqualTo(Ipv4DnsDecoder.Outcome.LOCAL_IGNORED);
        assertThat(new Ipv4DnsDecoder(Set.of(53), true).decode(loopback, loopback.length))
                .isEqualTo(Ipv4DnsDecoder.Outcome.UDP);

        byte[] badTcp = CapturedPackets.tcp(CLIENT, 50_002, RESOLVER, 53, 1, 0x18, new byte[0]);
        badTcp[32] = 0x40;
        assertThat(decoder.decode(badTcp, badTcp.length)).isEqualTo(Ipv4DnsDecoder.Outcome.MALFORMED);
        assertThat(decoder.decode(Arrays.copyOf(badTcp, 0), 0)).isEqualTo(Ipv4DnsDecoder.Outcome.TRUNCATED);
    }
}
