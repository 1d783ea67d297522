package io.cnm4j.examples.cnm;

import io.cnm4j.core.internal.LogText;

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
    private TerminalText() {
    }

    /** The text with every unsafe character escaped; the same instance when it has none. */
    static String escape(String text) {
        return LogText.escape(text);
    }
}
