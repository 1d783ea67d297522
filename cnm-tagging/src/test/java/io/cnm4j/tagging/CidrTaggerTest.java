package io.cnm4j.tagging;

import static io.cnm4j.tagging.KubernetesTaggerTest.flow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CidrTaggerTest {
    private final CidrTagger tagger = CidrTagger.builder()
            .rule("10.1.0.0/16 zone:eu-west-1a")
            .rule("10.2.0.0/16", Map.of("zone", "eu-west-1b"))
            .rule("10.2.3.0/24 zone:eu-west-1c,team:db")
            .rule("2001:db8::/32 zone:v6-zone")
            .build();

    @Test
    void bothEndsAreTaggedAndTheMostSpecificBlockWins() throws Exception {
        assertThat(tagger.tags(flow("10.1.4.5", "10.2.0.9", 0)))
                .isEqualTo(Map.of("zone", "eu-west-1a", "remote_zone", "eu-west-1b"));
        assertThat(tagger.tags(flow("10.1.4.5", "10.2.3.9", 0)))
                .isEqualTo(Map.of("zone", "eu-west-1a", "remote_zone", "eu-west-1c", "remote_team", "db"));
        assertThat(tagger.tags(flow("192.168.0.1", "10.1.255.255", 0))).isEqualTo(Map.of("remote_zone", "eu-west-1a"));
        assertThat(tagger.tags(flow("10.1.0.0", "8.8.8.8", 0))).isEqualTo(Map.of("zone", "eu-west-1a"));
        assertThat(tagger.tags(flow("10.3.0.1", "8.8.8.8", 0))).isEmpty();
        assertThat(tagger.tags(flow("2001:db8::1", "::ffff:10.2.3.4", 0)))
                .isEqualTo(Map.of("zone", "v6-zone", "remote_zone", "eu-west-1c", "remote_team", "db"));
    }

    @Test
    void oddPrefixLengthsMaskInsideAByte() throws Exception {
        CidrTagger odd = CidrTagger.builder().rule("172.16.0.0/12 net:private").build();

        assertThat(odd.tags(flow("172.31.255.1", "172.32.0.1", 0))).isEqualTo(Map.of("net", "private"));
    }

    @Test
    void malformedRulesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> CidrTagger.builder().rule("10.0.0.0/33 a:b")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> CidrTagger.builder().rule("example.com/8 a:b")).hasMessageContaining("not an address literal");
        assertThatThrownBy(() -> CidrTagger.builder().rule("10.0.0.0/8")).hasMessageContaining("'<cidr> key:value");
        assertThatThrownBy(() -> CidrTagger.builder().rule("10.0.0.0/8 novalue")).hasMessageContaining("'key:value'");
    }
}
