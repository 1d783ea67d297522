package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLineEscapesTest {
    @Test
    void sanitizeReturnsTheSameInstanceWhenNothingNeedsReplacing() {
        // given
        String ascii = "checkout.example.com";
        String withPair = "smile \uD83D\uDE00 caf\u00E9";

        // when / then
        assertThat(JsonLineEscapes.sanitize(ascii)).isSameAs(ascii);
        assertThat(JsonLineEscapes.sanitize(withPair)).isSameAs(withPair);
        assertThat(JsonLineEscapes.sanitize("")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\uD800|\uFFFD",
        "\uDC00|\uFFFD",
        "a\uD800|a\uFFFD",
        "\uDC00\uD800|\uFFFD\uFFFD",
        "\uD800\uD800\uDC00|\uFFFD\uD800\uDC00",
        "x\uD83D\uDE00\uDE00|x\uD83D\uDE00\uFFFD"})
    void sanitizeReplacesEveryLoneSurrogateAndKeepsPairs(String input, String expected) {
        assertThat(JsonLineEscapes.sanitize(input)).isEqualTo(expected);
    }
}
