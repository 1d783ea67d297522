package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCapabilitiesTest {
    private static ProcessCapabilities withBits(int... capabilities) {
        long mask = 0;
        for (int capability : capabilities) {
            mask |= 1L << capability;
        }
        return ProcessCapabilities.fromStatus(List.of("Name:\tjava", "CapEff:\t" + Long.toHexString(mask)));
    }

    @Test
    void rootHasEverythingTheBackendNeeds() {
        assertThat(ProcessCapabilities.fromStatus(List.of("CapEff:\t000001ffffffffff")).missingForEbpf()).isEmpty();
    }

    @Test
    void onlyTheCapabilitiesReallyMissingAreNamed() {
        assertThat(withBits(ProcessCapabilities.CAP_BPF, ProcessCapabilities.CAP_NET_ADMIN).missingForEbpf())
                .containsExactly("CAP_PERFMON");
        assertThat(withBits().missingForEbpf()).containsExactly("CAP_BPF", "CAP_PERFMON", "CAP_NET_ADMIN");
        assertThat(withBits(ProcessCapabilities.CAP_SYS_ADMIN).missingForEbpf()).containsExactly("CAP_NET_ADMIN");
    }
}
