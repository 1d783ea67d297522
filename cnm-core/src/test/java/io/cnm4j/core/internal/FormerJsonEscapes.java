package io.cnm4j.core.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The reference for {@link JsonLineBuffer#string}: how the JSON lines writer encoded a string when it
 * wrote through jackson-core's UTF-8 generator, lone surrogates replaced by U+FFFD first and
 * U+007F, the C1 controls, U+2028 and U+2029 escaped on top of JSON's standard escapes.
 */
final class FormerJsonEscapes {
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(new LineSafeEscapes())
            .rootValueSeparator((String) null)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private FormerJsonEscapes() {
    }

    /** {@code s} as the former writer wrote a string value: quoted, escaped, UTF-8. */
    static byte[] encode(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            generator.writeString(sanitize(s));
        }
        return out.toByteArray();
    }

    private static String sanitize(String s) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return replaceLoneSurrogates(s, i);
                }
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s, int firstLone) {
        char[] chars = s.toCharArray();
        for (int i = firstLone; i < chars.length; i++) {
            char c = chars[i];
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
                    i++;
                } else {
                    chars[i] = REPLACEMENT_CHARACTER;
                }
            }
        }
        return new String(chars);
    }

    /**
     * JSON's standard escapes plus U+007F, the C1 controls U+0080..U+009F, U+2028 and U+2029, so that
     * a line never holds a raw character that some reader takes for a control or a line end.
     */
    private static final class LineSafeEscapes extends CharacterEscapes {
        private static final int FIRST_C1 = 0x80;
        private static final int LAST_C1 = 0x9F;
        private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

        private final int[] asciiEscapes;
        private final SerializedString[] c1Escapes = new SerializedString[LAST_C1 - FIRST_C1 + 1];

        LineSafeEscapes() {
            asciiEscapes = standardAsciiEscapesForJSON();
            asciiEscapes[0x7F] = ESCAPE_STANDARD;
            for (int ch = FIRST_C1; ch <= LAST_C1; ch++) {
                // Upper-case hex, like the escapes Jackson writes itself.
                c1Escapes[ch - FIRST_C1] = new SerializedString(String.format("\\u%04X", ch));
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiEscapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch >= FIRST_C1 && ch <= LAST_C1) {
                return c1Escapes[ch - FIRST_C1];
            }
            return switch (ch) {
                case 0x2028 -> LINE_SEPARATOR;
                case 0x2029 -> PARAGRAPH_SEPARATOR;
                default -> null;
            };
        }
    }
}
