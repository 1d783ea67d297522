package io.cnm4j.core.testing;

import io.cnm4j.core.TelemetryCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The telemetry table of the repository's README (section "Loss is data"): one row
 * {@code | `name` | kind | reported by | meaning |} per counter, checked against declarations.
 */
public final class ReadmeTelemetryTable {
    private static final String SECTION = "## Loss is data";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\| ([a-z]+) \\| [^|]+ \\| ([^|]+) \\|$");

    /** A documented counter. */
    public record Row(String kind, String meaning) {
    }

    private final Map<String, Row> rows;
    private final List<String> duplicates;

    private ReadmeTelemetryTable(Map<String, Row> rows, List<String> duplicates) {
        this.rows = rows;
        this.duplicates = duplicates;
    }

    /** Reads the README of the repository, from a module's directory or the root. */
    public static ReadmeTelemetryTable load() {
        Path readme = Files.exists(Path.of("..", "README.md")) ? Path.of("..", "README.md") : Path.of("README.md");
        try {
            return parse(Files.readAllLines(readme));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReadmeTelemetryTable parse(List<String> lines) {
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.equals(SECTION);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (inSection && row.matches()
                    && rows.put(row.group(1), new Row(row.group(2), row.group(3).trim())) != null) {
                duplicates.add(row.group(1));
            }
        }
        return new ReadmeTelemetryTable(rows, duplicates);
    }

    /** Documented counters by name. */
    public Map<String, Row> rows() {
        return rows;
    }

    /** Names documented in more than one row. */
    public List<String> duplicates() {
        return duplicates;
    }

    /**
     * The differences between the declarations and their rows: a declared counter without a row,
     * or with another kind or meaning. Empty when the README documents every one exactly.
     */
    public List<String> problemsWith(Collection<TelemetryCounter> declared) {
        List<String> problems = new ArrayList<>();
        for (TelemetryCounter counter : declared) {
            Row row = rows.get(counter.name());
            Row expected = new Row(counter.kind().label(), counter.meaning());
            if (row == null) {
                problems.add(counter.name() + " has no row in the README's telemetry table: | `" + counter.name()
                        + "` | " + expected.kind() + " | … | " + expected.meaning() + " |");
            } else if (!row.equals(expected)) {
                problems.add(counter.name() + " is documented as " + row + ", declared as " + expected);
            }
        }
        return problems;
    }
}
