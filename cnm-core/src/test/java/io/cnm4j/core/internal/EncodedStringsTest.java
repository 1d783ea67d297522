package io.cnm4j.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import org.junit.jupiter.api.Test;

class EncodedStringsTest {
    private static final JsonFactory LINE_SAFE = new JsonFactoryBuilder()
            .characterEscapes(JsonLineEscapes.lineSafe())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    @Test
    void stringIsEncodedOnItsSecondRequestAndThenReturnedAsIs() {
        // given
        EncodedStrings strings = new EncodedStrings(LINE_SAFE, 16);

        // when
        SerializableString first = strings.get("service");
        SerializableString second = strings.get(new String("service"));
        SerializableString third = strings.get("service");

        // then
        assertThat(first).isNull();
        assertThat(second).isNotNull().isSameAs(third);
        assertThat(second.getValue()).isEqualTo("service");
        assertThat(new String(second.asQuotedUTF8(), UTF_8)).isEqualTo("service");
    }

    @Test
    void encodingCarriesTheLineSafeEscapesAndReplacesLoneSurrogates() {
        // given
        EncodedStrings strings = new EncodedStrings(LINE_SAFE, 16);
        String hostile = "q\"\u007F\u0085\u2028\uD800\uD83D\uDE00\u00E9\n";
        strings.get(hostile);

        // when
        SerializableString encoded = strings.get(hostile);

        // then
        String escaped = "q\\\"\\u007F\\u0085\\u2028\uFFFD\uD83D\uDE00\u00E9\\n";
        assertThat(encoded.getValue()).isEqualTo("q\"\u007F\u0085\u2028\uFFFD\uD83D\uDE00\u00E9\n");
        assertThat(encoded.asQuotedUTF8()).isEqualTo(escaped.getBytes(UTF_8));
        assertThat(new String(encoded.asQuotedChars())).isEqualTo(escaped);
    }

    @Test
    void aStringBetweenTwoRequestsOfAnotherAtTheSameSlotKeepsItFromBeingEncoded() {
        // given: one slot, so every string shares it
        EncodedStrings strings = new EncodedStrings(LINE_SAFE, 1);

        // when
        strings.get("a");
        strings.get("b");
        SerializableString a = strings.get("a");
        SerializableString aAgain = strings.get("a");

        // then
        assertThat(a).isNull();
        assertThat(aAgain).isNotNull();
        assertThat(strings.get("b")).isNull();
        assertThat(strings.get("a")).isSameAs(aAgain);
    }

    @Test
    void stringsLongerThanTheLimitAreNeverCached() {
        // given
        EncodedStrings strings = new EncodedStrings(LINE_SAFE, 16);
        String atLimit = "x".repeat(EncodedStrings.MAX_CACHED_LENGTH);
        String overLimit = atLimit + "x";

        // when
        strings.get(atLimit);
        strings.get(overLimit);
        strings.get(overLimit);

        // then
        assertThat(strings.get(atLimit)).isNotNull();
        assertThat(strings.get(overLimit)).isNull();
    }

    @Test
    void slotCountMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new EncodedStrings(LINE_SAFE, 12))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("slots must be a power of two: 12");
    }
}
