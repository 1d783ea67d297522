package io.cnm4j.examples.fleet;

/**
 * What crossed one edge of the map in one window. Immutable.
 *
 * @param bytes bytes sent plus received, each connection counted once
 * @param connections connections active in the window, each counted once even when both ends report it
 * @param failures failed connection attempts
 * @param retransmits retransmitted segments, of both ends
 */
public record Totals(long bytes, long connections, long failures, long retransmits) {
    /** Nothing. */
    public static final Totals ZERO = new Totals(0, 0, 0, 0);

    Totals plus(Totals other) {
        return new Totals(bytes + other.bytes, connections + other.connections, failures + other.failures,
                retransmits + other.retransmits);
    }

    Totals minus(Totals other) {
        return new Totals(bytes - other.bytes, connections - other.connections, failures - other.failures,
                retransmits - other.retransmits);
    }

    String encode() {
        return bytes + "\t" + connections + "\t" + failures + "\t" + retransmits;
    }

    static Totals decode(String text) {
        String[] f = text.split("\t", -1);
        return new Totals(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }
}
