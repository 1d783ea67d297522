package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Python script run as a real client or server, optionally inside a network namespace.
 * {@code ip netns exec} execs the command without forking, so the process id is the script's.
 * Scripts talk to the test through lines on their standard output.
 */
record PythonScript(Process process, BufferedReader output) implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 20L * KernelTestSupport.TIME_SCALE;
    private static final String PYTHON =
            Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    /** Starts the script in the monitor's own network namespace. */
    static PythonScript start(String script, Object... arguments) throws IOException {
        return startIn(null, script, arguments);
    }

    /** Starts the script in a named namespace (see {@code ip netns}), or here when it is null. */
    static PythonScript startIn(String namespace, String script, Object... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.addAll(List.of(PYTHON, "-c", script));
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new PythonScript(process,
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
    }

    /** The script's next output line; fails when none comes in time. */
    String nextLine() throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return output.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(line).as("the script ended without printing a line").isNotNull();
        return line;
    }

    /** The next output line split at blanks, as numbers. */
    long[] nextNumbers() throws Exception {
        String[] fields = nextLine().trim().split("\\s+");
        long[] numbers = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            numbers[i] = Long.parseLong(fields[i]);
        }
        return numbers;
    }

    /** Waits for the script to end and requires exit status 0. */
    void awaitSuccess() throws Exception {
        assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("script finished").isTrue();
        assertThat(process.exitValue()).as("script exit status; output: %s", remainingOutput()).isZero();
    }

    private String remainingOutput() {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    int pid() {
        return (int) process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
