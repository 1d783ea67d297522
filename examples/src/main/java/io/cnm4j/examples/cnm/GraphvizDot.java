package io.cnm4j.examples.cnm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Graphviz's {@code dot} program, run as a subprocess to draw DOT text as an image. The
 * executable is given (tests inject one) or found on a {@code PATH} value. Thread-safe: each
 * {@link #draw} starts its own process.
 *
 * @param executable the {@code dot} program to run
 */
record GraphvizDot(Path executable) {
    GraphvizDot {
        Objects.requireNonNull(executable, "executable");
    }

    /**
     * The {@code dot} in the first directory of {@code searchPath} (a {@code PATH} value,
     * directories separated by {@code :}) that holds an executable one, or empty.
     */
    static Optional<GraphvizDot> onPath(String searchPath) {
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String directory : searchPath.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, "dot");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new GraphvizDot(candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * Draws a DOT graph: runs {@code dot -T<type>} with {@code dotSource} on its standard input.
     *
     * @param type Graphviz's output type, such as {@code svg} or {@code png}
     * @return what {@code dot} wrote to its standard output
     * @throws IOException when {@code dot} cannot start or exits with an error (its message included)
     */
    byte[] draw(String dotSource, String type) throws IOException {
        Process process = new ProcessBuilder(executable.toString(), "-T" + type).start();
        // dot reads all of its input before writing; stdin and stderr still get their own
        // threads so that no full pipe buffer can stall the other side.
        CompletableFuture<Void> input = CompletableFuture.runAsync(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(dotSource.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // dot exited early; its exit status and stderr say why.
            }
        }, Thread.ofVirtual().name("cnm4j-dot-stdin")::start);
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
            try (InputStream stderr = process.getErrorStream()) {
                return new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread.ofVirtual().name("cnm4j-dot-stderr")::start);
        byte[] image;
        try (InputStream stdout = process.getInputStream()) {
            image = stdout.readAllBytes();
        }
        try {
            int status = process.waitFor();
            input.get();
            String message = errors.get().strip().replaceAll("\\s*\\R\\s*", " ");
            if (status != 0) {
                throw new IOException(executable + " -T" + type + " exited with status " + status
                        + (message.isEmpty() ? "" : ": " + message));
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException(executable + " -T" + type + " was interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(executable + " -T" + type + ": " + e.getCause().getMessage(), e.getCause());
        }
        return image;
    }
}
