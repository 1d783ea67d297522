package io.cnm4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StormResultTest {

    @Test
    void parsesTheGeneratorsResultLine() {
        assertThat(StormResult.parse("made=14976 failed=3 elapsed_ns=3003185850 port=55189"))
                .isEqualTo(new StormResult(14976, 3, 3_003_185_850L, 55189));
    }

    @Test
    void connectionsPerSecondIsMadeOverElapsed() {
        assertThat(new StormResult(15_000, 0, 3_000_000_000L, 1).connectionsPerSecond()).isEqualTo(5000.0);
    }

    @Test
    void aLineWithoutEveryFieldIsRefusedWithTheLine() {
        assertThatThrownBy(() -> StormResult.parse("made=1 failed=0 port=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("storm result line without elapsed_ns: made=1 failed=0 port=2");
        assertThatThrownBy(() -> StormResult.parse("port=40000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without made");
        assertThatThrownBy(() -> StormResult.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the storm generator printed no result line");
        assertThatThrownBy(() -> StormResult.parse("made=x failed=0 elapsed_ns=1 port=2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a storm result line: made=x failed=0 elapsed_ns=1 port=2");
    }
}
