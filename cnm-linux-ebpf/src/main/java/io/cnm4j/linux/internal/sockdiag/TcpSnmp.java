package io.cnm4j.linux.internal.sockdiag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The TCP counters of this network namespace from {@code /proc/net/snmp}: a header line
 * {@code Tcp: RtoAlgorithm ... ActiveOpens PassiveOpens AttemptFails EstabResets ...} and a
 * value line in the same order.
 */
record TcpSnmp(long activeOpens, long passiveOpens, long attemptFails, long estabResets) {
    private static final Path SNMP = Path.of("/proc/net/snmp");

    /** The current counters, or null when the file cannot be read or parsed. */
    static TcpSnmp read() {
        try {
            return parse(Files.readAllLines(SNMP));
        } catch (IOException e) {
            return null;
        }
    }

    static TcpSnmp parse(List<String> lines) {
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
                List<String> names = List.of(lines.get(i).trim().split("\\s+"));
                String[] values = lines.get(i + 1).trim().split("\\s+");
                try {
                    return new TcpSnmp(value(names, values, "ActiveOpens"), value(names, values, "PassiveOpens"),
                            value(names, values, "AttemptFails"), value(names, values, "EstabResets"));
                } catch (RuntimeException malformed) {
                    return null;
                }
            }
        }
        return null;
    }

    private static long value(List<String> names, String[] values, String name) {
        return Long.parseLong(values[names.indexOf(name)]);
    }

    /** Connections opened (actively or passively) since {@code earlier}. */
    long opensSince(TcpSnmp earlier) {
        return Math.max(0, activeOpens - earlier.activeOpens + passiveOpens - earlier.passiveOpens);
    }
}
