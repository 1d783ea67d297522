package io.cnm4j.linux.internal.libbpf;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the line that says why a load failed out of libbpf's warnings: in a program's verifier log
 * (between {@code -- BEGIN PROG LOAD LOG --} and {@code -- END PROG LOAD LOG --}) the last line
 * before the verifier's statistics, which names the rejected instruction or helper; without a
 * verifier log the first warning (a missing kernel function, type or attach target).
 */
final class VerifierLog {
    private static final String BEGIN = "-- BEGIN PROG LOAD LOG --";
    private static final String END = "-- END PROG LOAD LOG --";
    private static final Pattern PROGRAM = Pattern.compile("prog '([^']+)'");
    /** Statistics the verifier prints after its verdict. */
    private static final Pattern STATISTICS = Pattern.compile(
            "^(processed \\d+ insns|verification time|stack depth|max_states_per_insn|peak_states|mark_read).*");

    private VerifierLog() {
    }

    /** The most useful line of the warnings libbpf printed during one load, without the "libbpf: " prefix. */
    static Optional<String> firstUsefulLine(List<String> warnings) {
        List<String> lines = warnings.stream().flatMap(String::lines).map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith(BEGIN)) {
                Matcher program = PROGRAM.matcher(lines.get(i));
                String prefix = program.find() ? "prog '" + program.group(1) + "': " : "";
                String verdict = null;
                for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith(END); j++) {
                    if (!STATISTICS.matcher(lines.get(j)).matches()) {
                        verdict = lines.get(j);
                    }
                }
                if (verdict != null) {
                    return Optional.of(prefix + verdict);
                }
            }
        }
        return lines.stream().findFirst().map(line -> line.startsWith("libbpf: ") ? line.substring(8) : line);
    }
}
