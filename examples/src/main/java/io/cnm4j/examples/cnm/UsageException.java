package io.cnm4j.examples.cnm;

import java.util.Objects;

/**
 * The command line cannot be run as given; the message is one sentence naming the offending
 * argument. {@link Cnm} prints it with the usage text and exits with 64 (EX_USAGE).
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the arguments. */
    public enum Problem {
        /** No command was given. */
        MISSING_COMMAND,
        /** The first argument is not a known command. */
        UNKNOWN_COMMAND,
        /** An option the command does not accept. */
        UNKNOWN_OPTION,
        /** An option that needs a value came last or was followed by another option. */
        MISSING_VALUE,
        /** An option that another option's value requires is absent, such as {@code --output} for PNG. */
        MISSING_OPTION,
        /** An option that may appear once appeared again. */
        REPEATED_OPTION,
        /** A positional argument where the command takes none. */
        UNEXPECTED_ARGUMENT,
        /** A duration that is not a positive amount of ms, s, m or h, such as {@code 10x}. */
        BAD_DURATION,
        /** Any other value the option cannot take (unknown format, missing file, bad exclusion). */
        BAD_VALUE
    }

    private final Problem problem;
    private final String argument;

    public UsageException(Problem problem, String argument, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.argument = Objects.requireNonNull(argument, "argument");
    }

    public Problem problem() {
        return problem;
    }

    /** The option or argument the problem is about, such as {@code --interval}. */
    public String argument() {
        return argument;
    }
}
