package io.cnm4j.examples.cnm;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The controlling terminal of {@code cnm top}, driven with {@code stty} only: raw-ish input
 * ({@code -icanon -echo}, so that {@code q} arrives without Enter and is not echoed; Ctrl-C
 * still interrupts) while open, the previous settings restored on {@link #close()}, and the
 * window size. Inert when standard input is not a terminal. Used from the command's thread;
 * {@link #close()} may also be called from the shutdown hook and is idempotent.
 */
final class Terminal implements AutoCloseable {
    /** ANSI: cursor home, then erase the whole screen. */
    static final String CLEAR = "\033[H\033[2J";

    private static final File TTY = new File("/dev/tty");
    private static final int DEFAULT_ROWS = 24;
    private static final int DEFAULT_COLUMNS = 80;

    private final String savedSettings;
    private boolean restored;

    private Terminal(String savedSettings) {
        this.savedSettings = savedSettings;
    }

    /**
     * Puts the terminal in character mode when {@code in} is the process's standard input and
     * a terminal; otherwise touches nothing.
     */
    static Terminal open(InputStream in) {
        if (in != System.in || !isTerminal()) {
            return new Terminal(null);
        }
        String saved = stty("-g");
        if (saved == null || stty("-icanon", "-echo") == null) {
            return new Terminal(null);
        }
        return new Terminal(saved.strip());
    }

    private static boolean isTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal() && TTY.exists();
    }

    /** {rows, columns} of the window; 24 x 80 when unknown. */
    int[] size() {
        if (savedSettings != null) {
            String size = stty("size");
            if (size != null) {
                String[] parts = size.strip().split("\\s+");
                if (parts.length == 2) {
                    try {
                        int rows = Integer.parseInt(parts[0]);
                        int columns = Integer.parseInt(parts[1]);
                        // A pseudo-terminal nobody sized (script, some CI runners) reports 0 0.
                        if (rows > 0 && columns > 0) {
                            return new int[] {rows, columns};
                        }
                    } catch (NumberFormatException unexpected) {
                        // fall through to the defaults
                    }
                }
            }
        }
        return new int[] {envInt("LINES", DEFAULT_ROWS), envInt("COLUMNS", DEFAULT_COLUMNS)};
    }

    private static int envInt(String name, int fallback) {
        try {
            String value = System.getenv(name);
            int parsed = value == null ? fallback : Integer.parseInt(value.strip());
            return parsed > 0 ? parsed : fallback;
        } catch (NumberFormatException notANumber) {
            return fallback;
        }
    }

    /** Restores the settings the terminal had before {@link #open}. */
    @Override
    public synchronized void close() {
        if (restored || savedSettings == null) {
            return;
        }
        restored = true;
        stty(savedSettings);
    }

    /** Runs {@code stty} on the controlling terminal; its output, or null when it failed. */
    private static String stty(String... args) {
        List<String> command = new ArrayList<>();
        command.add("stty");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
