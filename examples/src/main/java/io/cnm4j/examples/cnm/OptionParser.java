package io.cnm4j.examples.cnm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the options of one command: {@code --flag}, {@code --name value}, {@code --name=value}.
 * No positional arguments. Immutable once parsed.
 */
final class OptionParser {
    /** How many values an option takes. */
    enum Arity {
        /** A switch without a value. */
        FLAG,
        /** One value; the option may appear once. */
        ONE,
        /** One value per occurrence; the option may repeat. */
        MANY
    }

    private final Map<String, List<String>> values;

    private OptionParser(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Parses {@code args} against {@code accepted} (option names with their leading dashes).
     *
     * @throws UsageException for an unknown, repeated or value-less option, or a positional argument
     */
    static OptionParser parse(String command, List<String> args, Map<String, Arity> accepted) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-")) {
                throw new UsageException(UsageException.Problem.UNEXPECTED_ARGUMENT, arg,
                        "'" + command + "' takes no argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(0, equals) : arg;
            Arity arity = accepted.get(name);
            if (arity == null) {
                throw new UsageException(UsageException.Problem.UNKNOWN_OPTION, name,
                        "unknown option '" + name + "' for '" + command + "'");
            }
            String value;
            if (arity == Arity.FLAG) {
                if (equals > 0) {
                    throw new UsageException(UsageException.Problem.BAD_VALUE, name, name + " takes no value");
                }
                value = "";
            } else if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new UsageException(UsageException.Problem.MISSING_VALUE, name, name + " needs a value");
            }
            List<String> previous = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!previous.isEmpty() && arity != Arity.MANY) {
                throw new UsageException(UsageException.Problem.REPEATED_OPTION, name, name + " may be given only once");
            }
            previous.add(value);
        }
        return new OptionParser(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Optional<String> value(String name) {
        List<String> given = values.get(name);
        return given == null ? Optional.empty() : Optional.of(given.get(0));
    }

    List<String> values(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** The option's duration, or {@code fallback} (which may be null) when it is absent. */
    Duration duration(String name, Duration fallback) throws UsageException {
        Optional<String> text = value(name);
        return text.isEmpty() ? fallback : DurationArgument.parse(name, text.get());
    }
}
