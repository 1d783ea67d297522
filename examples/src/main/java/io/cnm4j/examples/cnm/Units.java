package io.cnm4j.examples.cnm;

import java.util.Locale;

/** Short human-readable sizes and times for terminal columns and graph labels. */
final class Units {
    private static final String[] BINARY_PREFIXES = {"K", "M", "G", "T", "P", "E"};

    private Units() {
    }

    /** Bytes in at most 6 characters: {@code 999}, {@code 1.5K}, {@code 12.0M}, {@code 340G}. */
    static String compactBytes(long bytes) {
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        double value = bytes;
        int prefix = -1;
        while (value >= 1024 && prefix < BINARY_PREFIXES.length - 1) {
            value /= 1024;
            prefix++;
        }
        String number = value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
        return number + BINARY_PREFIXES[prefix];
    }

    /** Bytes with an IEC unit: {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int prefix = -1;
        while (value >= 1024 && prefix < BINARY_PREFIXES.length - 1) {
            value /= 1024;
            prefix++;
        }
        return String.format(Locale.ROOT, "%.1f %siB", value, BINARY_PREFIXES[prefix]);
    }

    /** Microseconds as {@code 850us}, {@code 12.5ms} or {@code 1.20s}; {@code -} for 0 (unknown). */
    static String micros(long micros) {
        if (micros <= 0) {
            return "-";
        }
        if (micros < 1000) {
            return micros + "us";
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fms", micros / 1000.0);
        }
        return String.format(Locale.ROOT, "%.2fs", micros / 1_000_000.0);
    }

    /** A ratio in percent with one decimal: {@code 12.5%}. */
    static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
