package io.cnm4j.windows.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IoctlCodeTest {
    @Test
    void ctlCodeMatchesTheValuesPublishedInTypesWindowsGo() {
        assertThat(IoctlCode.GETSTATS.code()).isEqualTo(0x122004);
        assertThat(IoctlCode.SET_DATA_FILTER.code()).isEqualTo(0x12200c);
        assertThat(IoctlCode.SET_FLOW_FILTER.code()).isEqualTo(0x122010);
        assertThat(IoctlCode.SET_MAX_OPEN_FLOWS.code()).isEqualTo(0x122024);
        assertThat(IoctlCode.SET_MAX_CLOSED_FLOWS.code()).isEqualTo(0x122028);
        assertThat(IoctlCode.GET_OPEN_FLOWS.code()).isEqualTo(0x122036);
        assertThat(IoctlCode.GET_CLOSED_FLOWS.code()).isEqualTo(0x12203a);
        assertThat(IoctlCode.SET_CLOSED_FLOWS_NOTIFY.code()).isEqualTo(0x12203c);
    }

    @Test
    void ctlCodePlacesDeviceAccessFunctionAndMethodBits() {
        assertThat(IoctlCode.ctlCode(0x12, 0x80D, 2, 0)).isEqualTo(0x122036);
        assertThat(IoctlCode.ctlCode(0x22, 0x800, 0, 1)).isEqualTo(0x226000);
        assertThat(IoctlCode.GET_CLOSED_FLOWS.method()).isEqualTo(IoctlCode.METHOD_OUT_DIRECT);
        assertThat(IoctlCode.SET_FLOW_FILTER.method()).isEqualTo(IoctlCode.METHOD_BUFFERED);
    }

    @Test
    void signatureIsDdfdAndTheVersionAsLittleEndianU64() {
        assertThat(DriverVersion.V18.signature()).isEqualTo(0xddfd00000018L);
        assertThat(DriverVersion.V16.signature()).isEqualTo(0xddfd00000016L);
        assertThat(DriverVersion.V14.signature()).isEqualTo(0xddfd00000014L);
        assertThat(DriverVersion.NEWEST_FIRST).containsExactly(DriverVersion.V18, DriverVersion.V16, DriverVersion.V14);
    }
}
