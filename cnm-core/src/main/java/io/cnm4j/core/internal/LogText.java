package io.cnm4j.core.internal;

/**
 * Makes untrusted values (domains, addresses, packet-derived text, lines of a replay file, process
 * names) safe to put in a log message or on a terminal: CR, LF and every other control character
 * (C0, DEL, C1) become {@code \xNN}; format characters (bidirectional overrides, zero-width
 * characters) and the Unicode line and paragraph separators become a backslash, u and four hex
 * digits; so that a value can neither forge a log line, drive the terminal of whoever reads it,
 * nor reorder what is shown.
 * In logs such values appear at DEBUG or TRACE only: INFO and above never carry them.
 *
 * <p>Stateless; safe from any thread.
 */
public final class LogText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /** {@code String.valueOf(value)} with every unsafe character escaped. */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return escapeFrom(text, i);
            }
        }
        return text;
    }

    private static boolean unsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    private static String escapeFrom(String text, int first) {
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                out.append(c);
            } else if (c <= 0xFF) {
                out.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            } else {
                out.append("\\u").append(HEX[c >>> 12]).append(HEX[c >>> 8 & 0xF]).append(HEX[c >>> 4 & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }
}
