package io.cnm4j.bench.load;

import java.util.HashMap;
import java.util.Map;

/**
 * What one run of the C storm generator reports: transactions made (answer and EOF received),
 * transactions failed, and the time from the first connect to the last transaction's end.
 *
 * @param made complete transactions
 * @param failed connects, reads or writes that failed, and transactions that never finished
 * @param elapsedNanos time from the start to the end of the last transaction
 * @param port the storm server's port
 */
record StormResult(long made, long failed, long elapsedNanos, int port) {

    /** Parses the generator's last line, {@code made=N failed=F elapsed_ns=E port=P}. */
    static StormResult parse(String line) {
        if (line == null) {
            throw new IllegalArgumentException("the storm generator printed no result line");
        }
        Map<String, Long> fields = new HashMap<>();
        for (String field : line.trim().split(" ")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("not a storm result line: " + line);
            }
            try {
                fields.put(field.substring(0, equals), Long.parseLong(field.substring(equals + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a storm result line: " + line, e);
            }
        }
        for (String required : new String[] {"made", "failed", "elapsed_ns", "port"}) {
            if (!fields.containsKey(required)) {
                throw new IllegalArgumentException("storm result line without " + required + ": " + line);
            }
        }
        return new StormResult(fields.get("made"), fields.get("failed"), fields.get("elapsed_ns"),
                fields.get("port").intValue());
    }

    double connectionsPerSecond() {
        return elapsedNanos == 0 ? 0 : made * 1e9 / elapsedNanos;
    }
}
