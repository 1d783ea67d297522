package io.cnm4j.examples.cnm;

/**
 * Makes untrusted text (DNS names anyone can make the host look up, process names any process can
 * set with {@code prctl(PR_SET_NAME)}) harmless on the operator's terminal: every control
 * character, C0, DEL and C1 (U+0080..U+009F, which terminals may take for CSI and OSC
 * introducers), becomes a visible escape such as {@code \x1b}; format characters (bidirectional
 * overrides, zero-width characters) and the Unicode line and paragraph separators become
 * {@code \u202e}-style escapes, so that nothing can move the cursor, rewrite the title, clear the
 * screen, or reorder what is shown. Stateless; safe from any thread.
 */
final class TerminalText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TerminalText() {
    }

    /** The text with every unsafe character escaped; the same instance when it has none. */
    static String escape(String text) {
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
