package io.cnm4j.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the tools the harness drives (a C compiler, redis) on the PATH. */
final class Executables {
    private Executables() {
    }

    /** The first of {@code names} that is an executable on the PATH. */
    static Optional<String> firstOnPath(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        return Stream.of(names)
                .filter(name -> Stream.of(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, name))))
                .findFirst();
    }
}
