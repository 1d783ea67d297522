package io.cnm4j.windows.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlowRecordLayoutTest {
    @Test
    void version18MatchesTheDocumentedOffsetsAnd194Bytes() {
        FlowRecordLayout v18 = FlowRecordLayout.of(DriverVersion.V18);
        assertThat(v18.layout().byteSize()).isEqualTo(194);
        assertThat(v18.offsetOf("flowHandle")).isZero();
        assertThat(v18.offsetOf("flowCookie")).isEqualTo(8);
        assertThat(v18.offsetOf("processId")).isEqualTo(16);
        assertThat(v18.offsetOf("addressFamily")).isEqualTo(24);
        assertThat(v18.offsetOf("protocol")).isEqualTo(26);
        assertThat(v18.offsetOf("flags")).isEqualTo(28);
        assertThat(v18.offsetOf("localAddress")).isEqualTo(32);
        assertThat(v18.offsetOf("remoteAddress")).isEqualTo(48);
        assertThat(v18.offsetOf("packetsOut")).isEqualTo(64);
        assertThat(v18.offsetOf("transportBytesIn")).isEqualTo(104);
        assertThat(v18.offsetOf("timestamp")).isEqualTo(112);
        assertThat(v18.offsetOf("localPort")).isEqualTo(120);
        assertThat(v18.offsetOf("remotePort")).isEqualTo(122);
        assertThat(v18.offsetOf("httpUpgradeToH2Accepted")).isEqualTo(131);
        assertThat(v18.offsetOf("tls_alpn_chosen")).isEqualTo(144);
        assertThat(v18.offsetOf("protocol_u")).isEqualTo(152);
        assertThat(v18.connectionStatus).isEqualTo(184);
        assertThat(v18.retransmitCount).isEqualTo(176);
        assertThat(v18.offsetOf("interfaceIndex")).isEqualTo(188);
        assertThat(v18.offsetOf("tls_cipher_suite")).isEqualTo(192);
    }

    @Test
    void olderVersionsLackTheCookieAndTrailingFields() {
        FlowRecordLayout v16 = FlowRecordLayout.of(DriverVersion.V16);
        FlowRecordLayout v14 = FlowRecordLayout.of(DriverVersion.V14);
        assertThat(v16.layout().byteSize()).isEqualTo(180);
        assertThat(v14.layout().byteSize()).isEqualTo(176);
        assertThat(v16.offsetOf("flowCookie")).isEqualTo(-1);
        assertThat(v16.offsetOf("processId")).isEqualTo(8);
        assertThat(v16.offsetOf("timestamp")).isEqualTo(104);
        assertThat(v16.offsetOf("protocol_u")).isEqualTo(144);
        assertThat(v16.connectionStatus).isEqualTo(176);
        assertThat(v16.offsetOf("interfaceIndex")).isEqualTo(-1);
        assertThat(v14.connectionStatus).isEqualTo(-1);
        assertThat(v14.retransmitCount).isEqualTo(168);
    }
}
