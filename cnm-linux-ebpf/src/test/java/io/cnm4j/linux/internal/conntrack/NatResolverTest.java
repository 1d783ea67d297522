package io.cnm4j.linux.internal.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.Protocol;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NatResolverTest {
    @Test
    void conntrackDisabledOpensNothingAndResolvesNothing() throws Exception {
        try (NatResolver resolver = NatResolver.open(false, NatSettings.DEFAULTS)) {
            resolver.start();

            assertThat(resolver.status().enabled()).isFalse();
            assertThat(resolver.status().reason()).isEqualTo("conntrack_enabled is false: NAT is not resolved");
            assertThat(resolver.namespaces).isEmpty();
            assertThat(resolver.telemetry()).isEmpty();
            assertThat(resolver.lookup(Protocol.TCP, InetAddress.getLoopbackAddress(), 1,
                    InetAddress.getLoopbackAddress(), 2, 0, 0)).isNull();
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("cnm4j-conntrack"));
        }
    }

    @Test
    void withoutNfConntrackNatIsOffWithTheReason() {
        try (NatResolver resolver = NatResolver.open(true, NatSettings.DEFAULTS, Path.of("/nonexistent/nf_conntrack_max"))) {
            resolver.start();

            assertThat(resolver.status().enabled()).isFalse();
            assertThat(resolver.status().reason()).isEqualTo("nf_conntrack is not loaded (no "
                    + "/nonexistent/nf_conntrack_max): no connection is translated here");
            assertThat(resolver.namespaces).isEmpty();
        }
    }
}
