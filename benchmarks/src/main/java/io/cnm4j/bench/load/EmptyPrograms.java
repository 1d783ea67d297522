package io.cnm4j.bench.load;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.libbpf.BpfObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Programs that do nothing on the tracepoints of {@code cnm_sock_send} and {@code cnm_sock_recv}
 * ({@code src/main/c/empty_sock_io.bpf.c}, packaged next to this class), compiled with the host's
 * clang and loaded into this process, so that their cost per run is measured in the same run and
 * under the same load as cnm's.
 */
final class EmptyPrograms implements AutoCloseable {
    /** Program name prefix; each is named after the cnm program it stands next to. */
    static final String PREFIX = "empty_";

    /** Owns the links: closing it detaches both programs. */
    private final BpfObject object;

    private EmptyPrograms(BpfObject object) {
        this.object = object;
    }

    /** Compiles the source in {@code directory}, loads it and attaches both programs. */
    static EmptyPrograms attach(Path directory) throws IOException, InterruptedException, NativeCallException {
        Files.createDirectories(directory);
        Path source = directory.resolve("empty_sock_io.bpf.c");
        try (InputStream packaged = EmptyPrograms.class.getResourceAsStream("empty_sock_io.bpf.c")) {
            if (packaged == null) {
                throw new IOException("empty_sock_io.bpf.c is not on the class path next to "
                        + EmptyPrograms.class.getName());
            }
            Files.copy(packaged, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path compiled = directory.resolve("empty_sock_io.bpf.o");
        String clang = Executables.firstOnPath("clang").orElseThrow(() -> new IOException(
                "no clang on the PATH: apt-get install clang"));
        String multiarch = run(clang, "-print-multiarch").strip();
        run(clang, "-O2", "-g", "-target", "bpf", "-I/usr/include/" + multiarch, "-c", source.toString(), "-o",
                compiled.toString());
        BpfObject object = BpfObject.open("cnm_bench_empty", Files.readAllBytes(compiled));
        try {
            object.load();
            object.attachAll();
            return new EmptyPrograms(object);
        } catch (NativeCallException | RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** The empty program next to the cnm program {@code cnmName}, e.g. {@code empty_sock_send}. */
    static String standIn(String cnmName) {
        return PREFIX + cnmName.substring(cnmName.indexOf('_') + 1);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    @Override
    public void close() {
        object.close();
    }
}
