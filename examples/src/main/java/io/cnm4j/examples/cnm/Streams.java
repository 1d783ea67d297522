package io.cnm4j.examples.cnm;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The standard streams a command uses, passed in so that tests can run commands in-process.
 *
 * @param in keyboard input ({@code top} reads {@code q} from it)
 * @param out results
 * @param err errors and hints
 */
record Streams(InputStream in, PrintStream out, PrintStream err) {
    Streams {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The process's own standard streams. */
    static Streams system() {
        return new Streams(System.in, System.out, System.err);
    }
}
