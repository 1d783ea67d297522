package io.cnm4j.examples.cnm;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the replay files under src/test/resources/replay. */
final class TestFiles {
    private TestFiles() {
    }

    static Path replay(String name) {
        try {
            return Path.of(TestFiles.class.getResource("/replay/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource replay/" + name, e);
        }
    }
}
