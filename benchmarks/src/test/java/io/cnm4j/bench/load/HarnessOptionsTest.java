package io.cnm4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

    @Test
    void everyOptionHasADefault() {
        assertThat(HarnessOptions.parse()).isEqualTo(new HarnessOptions(10, 3, 0, 64, 1, 1, 4, 10, 16, 300_000,
                Path.of("examples/target/cnm.jar")));
    }

    @Test
    void optionsReplaceTheirDefaults() {
        assertThat(HarnessOptions.parse("--rate", "5000", "--seconds", "20", "--rounds", "3", "--cnm-jar", "/tmp/cnm.jar"))
                .isEqualTo(new HarnessOptions(20, 3, 5000, 64, 1, 3, 4, 10, 16, 300_000, Path.of("/tmp/cnm.jar")));
    }

    @Test
    void badOptionsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> HarnessOptions.parse("--seconds", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--seconds needs a whole number of at least 1, got 0");
        assertThatThrownBy(() -> HarnessOptions.parse("--rate", "fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--rate needs a whole number of at least 0, got fast");
        assertThatThrownBy(() -> HarnessOptions.parse("--speed", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option --speed; usage: LoadHarness");
        assertThatThrownBy(() -> HarnessOptions.parse("--rounds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("option --rounds has no value");
    }
}
