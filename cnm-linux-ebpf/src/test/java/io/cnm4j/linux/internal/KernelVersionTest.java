package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelVersionTest {
    @Test
    void debianAndDistributionReleasesParseToMajorAndMinor() {
        assertThat(KernelVersion.parse("6.1.0-57-amd64")).isEqualTo(new KernelVersion(6, 1, "6.1.0-57-amd64"));
        assertThat(KernelVersion.parse("5.14.0-427.13.1.el9_4.x86_64").minor()).isEqualTo(14);
        assertThat(KernelVersion.parse("6.18.44-fc-v1147").toString()).isEqualTo("6.18.44-fc-v1147");
    }

    @Test
    void atLeastComparesMajorThenMinor() {
        assertThat(KernelVersion.parse("5.8.0").atLeast(5, 8)).isTrue();
        assertThat(KernelVersion.parse("5.7.19").atLeast(5, 8)).isFalse();
        assertThat(KernelVersion.parse("4.19.0").atLeast(5, 8)).isFalse();
        assertThat(KernelVersion.parse("6.1.0").atLeast(6, 3)).isFalse();
        assertThat(KernelVersion.parse("6.3.0").atLeast(6, 3)).isTrue();
        assertThat(KernelVersion.parse("10.0").atLeast(6, 3)).isTrue();
    }

    @Test
    void aReleaseWithoutMajorAndMinorIsRefused() {
        assertThatThrownBy(() -> KernelVersion.parse("linux"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a kernel release (MAJOR.MINOR...): linux");
    }
}
