package io.cnm4j.examples.cnm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The outcome of running {@code cnm} in-process with captured streams.
 *
 * @param exitCode what {@link Cnm#run} returned
 * @param out standard output
 * @param err standard error
 */
record CommandRun(int exitCode, String out, String err) {
    static CommandRun of(String... args) {
        return withInput(new ByteArrayInputStream(new byte[0]), args);
    }

    static CommandRun withInput(InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cnm.run(args, new Streams(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
