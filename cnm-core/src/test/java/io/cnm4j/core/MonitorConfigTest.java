package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {
    @Test
    void defaultsMatchTheDocumentedValues() {
        MonitorConfig config = MonitorConfig.defaults();

        assertThat(config.maxTrackedConnections()).isEqualTo(65_536);
        assertThat(config.closedBufferSize()).isEqualTo(65_536);
        assertThat(config.maxClientConnections()).isEqualTo(75_000);
        assertThat(config.dnsTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.dnsPorts()).containsExactly(53);
        assertThat(config.maxPendingDnsQueries()).isEqualTo(10_000);
        assertThat(config.maxDnsStats()).isEqualTo(20_000);
        assertThat(config.reverseDnsCacheSize()).isEqualTo(100_000);
        assertThat(config.clientExpiry()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.trackedFailures()).containsExactlyInAnyOrder(Errno.values());
        assertThat(config.dnsQueryTypes()).isEmpty();
        assertThat(config.dnsCollectLocal()).isFalse();
    }

    @Test
    void negativeSizeNamesTheSettingAndValue() {
        assertThatThrownBy(() -> MonitorConfig.builder().maxTrackedConnections(-5))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid max_tracked_connections '-5': must be at least 1")
                .satisfies(e -> assertThat(((InvalidConfigException) e).setting()).isEqualTo("max_tracked_connections"));
    }

    @Test
    void malformedCidrInExclusionIsRefused() {
        assertThatThrownBy(() -> MonitorConfig.builder().excludeDestination("10.0.0.0/33", "*"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid destination_exclusions '10.0.0.0/33=[*]': CIDR '10.0.0.0/33': prefix length must be 0..32");
        assertThatThrownBy(() -> MonitorConfig.builder().excludeSource("example.com", "*"))
                .hasMessage("invalid source_exclusions 'example.com=[*]': CIDR 'example.com': not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> MonitorConfig.builder().excludeSource("300.1.1.1", "*"))
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void malformedPortEntryIsRefused() {
        assertThatThrownBy(() -> MonitorConfig.builder().excludeSource("*", "sctp 22"))
                .hasMessage("invalid source_exclusions '*=[sctp 22]': port entry 'sctp 22': unknown protocol 'sctp'");
        assertThatThrownBy(() -> MonitorConfig.builder().excludeSource("*", "tcp 70000"))
                .hasMessage("invalid source_exclusions '*=[tcp 70000]': port entry 'tcp 70000': port 70000 is outside 0..65535");
        assertThatThrownBy(() -> MonitorConfig.builder().excludeSource("*", "9000-8000"))
                .hasMessageContaining("reversed");
    }

    @Test
    void unknownErrnoNameIsRefused() {
        assertThatThrownBy(() -> MonitorConfig.builder().trackedFailures("ECONNREFUSED", "EBOGUS"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("invalid tracked_failures 'EBOGUS': unknown errno name");
    }

    @Test
    void badDurationsPortsAndQueryTypesAreRefused() {
        assertThatThrownBy(() -> MonitorConfig.builder().interval(Duration.ZERO))
                .hasMessage("invalid interval 'PT0S': must be a positive duration");
        assertThatThrownBy(() -> MonitorConfig.builder().dnsTimeout(Duration.ofSeconds(-1)))
                .hasMessage("invalid dns_timeout 'PT-1S': must be a positive duration");
        assertThatThrownBy(() -> MonitorConfig.builder().dnsPorts(53, 0))
                .hasMessage("invalid dns_ports '0': a port must be 1..65535");
        assertThatThrownBy(() -> MonitorConfig.builder().dnsQueryTypes("A", "BOGUS"))
                .hasMessage("invalid dns_query_types 'BOGUS': unknown DNS query type");
        assertThatThrownBy(() -> MonitorConfig.builder().queueCapacity(1))
                .hasMessage("invalid queue_capacity '1': must be at least 2");
    }

    @Test
    void failedBuilderCallLeavesEarlierSettingsIntact() {
        MonitorConfig.Builder builder = MonitorConfig.builder().excludeSource("10.0.0.0/8", "*");
        assertThatThrownBy(() -> builder.excludeSource("bad", "*")).isInstanceOf(InvalidConfigException.class);

        assertThat(builder.build().sourceExclusions()).containsOnlyKeys("10.0.0.0/8");
    }

    @Test
    void toBuilderRoundTripsEverySetting() {
        MonitorConfig original = MonitorConfig.builder().interval(Duration.ofSeconds(3)).dnsPorts(53, 5353)
                .dnsQueryTypes("AAAA").trackedFailures("ETIMEDOUT").excludeDestination("*", "tcp 22")
                .maxTrackedConnections(1000).closedBufferSize(10).backend("replay").build();

        MonitorConfig copy = original.toBuilder().build();

        assertThat(copy.interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(copy.dnsPorts()).containsExactlyInAnyOrder(53, 5353);
        assertThat(copy.dnsQueryTypes()).containsExactly(28);
        assertThat(copy.trackedFailures()).containsExactly(Errno.ETIMEDOUT);
        assertThat(copy.destinationExclusions()).containsEntry("*", java.util.List.of("tcp 22"));
        assertThat(copy.closedBufferSize()).isEqualTo(10);
        assertThat(copy.backend()).isEqualTo("replay");
    }
}
