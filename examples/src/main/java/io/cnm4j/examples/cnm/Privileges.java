package io.cnm4j.examples.cnm;

import java.nio.file.AccessDeniedException;
import java.util.Locale;

/** Recognizes failures caused by missing privileges (capture needs root or capabilities). */
final class Privileges {
    private Privileges() {
    }

    /** True when the failure or one of its causes says permission was denied. */
    static boolean isMissingPrivilege(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SecurityException || t instanceof AccessDeniedException) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("eperm") || message.contains("eacces") || message.contains("operation not permitted")
                    || message.contains("permission denied")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One sentence: the failure's message on one line, then {@code hint} (what to do), such as
     * {@code bpf_prog_load failed: EPERM (Operation not permitted); run as root.}
     */
    static String withHint(Throwable failure, String hint) {
        String sentence = firstSentence(failure);
        return sentence.substring(0, sentence.length() - 1) + "; " + hint + ".";
    }

    /** The failure's message on one line, ending with a period. */
    static String firstSentence(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        String line = message.strip().replaceAll("\\s*\\R\\s*", " ");
        return line.endsWith(".") ? line : line + ".";
    }
}
