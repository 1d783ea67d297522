package io.cnm4j.linux.internal.libbpf;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the line that says why a load failed out of libbpf's warnings: in a program's verifier log
 * (between {@code -- BEGIN PROG LOAD LOG --} and {@code -- END PROG LOAD LOG --}) the last line
 * that is neither the instruction trace nor the statistics, which names the rejected instruction or
 * helper; when the verifier accepted the program and the kernel refused it afterwards, libbpf's
 * line after the log; without a verifier log the first warning (a missing kernel function, type or
 * attach target).
 */
final class VerifierLog {
    private static final String BEGIN = "-- BEGIN PROG LOAD LOG --";
    private static final String END = "-- END PROG LOAD LOG --";
    private static final Pattern PROGRAM = Pattern.compile("prog '([^']+)'");
    /** The verifier's instruction trace, state dumps and statistics: everything but a verdict. */
    private static final Pattern TRACE = Pattern.compile("^(\\d+: |; |from \\d+ to \\d+|mark_precise|last_idx|parent |"
            + "R\\d|safe$|processed \\d+ insns|verification time|stack depth|max_states_per_insn|peak_states|"
            + "mark_read|func#|propagating|caller:|callee:|frame\\d).*");

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
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).startsWith(END); j++) {
                    if (!TRACE.matcher(lines.get(j)).matches()) {
                        verdict = lines.get(j);
                    }
                }
                if (verdict != null) {
                    return Optional.of(prefix + verdict);
                }
                if (j + 1 < lines.size()) {
                    return Optional.of(withoutPrefix(lines.get(j + 1)));
                }
            }
        }
        return lines.stream().findFirst().map(VerifierLog::withoutPrefix);
    }

    private static String withoutPrefix(String line) {
        return line.startsWith("libbpf: ") ? line.substring("libbpf: ".length()) : line;
    }
}
