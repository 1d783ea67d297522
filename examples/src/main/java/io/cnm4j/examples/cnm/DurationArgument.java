package io.cnm4j.examples.cnm;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the durations of the command line: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1m30s}. */
final class DurationArgument {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private DurationArgument() {
    }

    /**
     * The positive duration written in {@code text}.
     *
     * @throws UsageException ({@link UsageException.Problem#BAD_DURATION}) naming the option
     */
    static Duration parse(String option, String text) throws UsageException {
        if (!WHOLE.matcher(text).matches()) {
            throw new UsageException(UsageException.Problem.BAD_DURATION, option,
                    option + " takes a duration such as 500ms, 10s, 2m or 1h, not '" + text + "'");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
        }
        if (total.isZero()) {
            throw new UsageException(UsageException.Problem.BAD_DURATION, option,
                    option + " must be longer than zero, not '" + text + "'");
        }
        return total;
    }

    /** The shortest text {@link #parse} reads back as the same duration, such as {@code 1m30s}. */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        StringBuilder text = new StringBuilder();
        long[] sizes = {3_600_000, 60_000, 1_000, 1};
        String[] units = {"h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis >= sizes[i]) {
                text.append(millis / sizes[i]).append(units[i]);
                millis %= sizes[i];
            }
        }
        return text.isEmpty() ? "0s" : text.toString();
    }
}
