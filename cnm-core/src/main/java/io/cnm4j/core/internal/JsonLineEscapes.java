package io.cnm4j.core.internal;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Keeps strings safe for line-oriented JSON consumers: {@link #sanitize} replaces lone UTF-16
 * surrogates by U+FFFD, and {@link #lineSafe()} escapes, on top of JSON's standard escapes, U+007F,
 * the C1 controls U+0080..U+009F, U+2028 and U+2029.
 *
 * <p>Why: a lone surrogate has no UTF-8 encoding, and JavaScript-based readers take U+2028 and
 * U+2029 for line ends (as Python's {@code str.splitlines()} does U+0085), which would split one
 * JSON line into several.
 *
 * <p>{@link #sanitize} is stateless and safe to call from any thread. The escapes returned by
 * {@link #lineSafe()} are never modified after construction, so one instance may be shared by a
 * {@link com.fasterxml.jackson.core.JsonFactory} and all its generators.
 */
public final class JsonLineEscapes {
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private JsonLineEscapes() {
    }

    /**
     * The string with every lone surrogate replaced by U+FFFD; the same instance, without
     * allocating, when it has none (always the case for ASCII).
     */
    public static String sanitize(String s) {
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

    /** New character escapes for a {@link com.fasterxml.jackson.core.JsonFactory}, as described on this class. */
    public static CharacterEscapes lineSafe() {
        return new LineSafeEscapes();
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
