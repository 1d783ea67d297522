package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's API section names exactly the packages that the library modules export to everyone. */
class ModuleExportsReadmeTest {
    private static final Pattern UNQUALIFIED_EXPORT = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;");
    private static final Pattern PACKAGE_IN_TABLE = Pattern.compile("`(io\\.cnm4j(?:\\.\\w+)+)`");

    @Test
    void readmeListsExactlyTheExportedPackages() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("<!-- exported-packages");
        int end = readme.indexOf("<!-- /exported-packages -->");
        assertThat(start).as("README marks its API table").isNotNegative();
        Set<String> listed = new TreeSet<>();
        for (String row : readme.substring(start, end).split("\n")) {
            String[] cells = row.split("\\|");
            if (cells.length > 3) {
                Matcher m = PACKAGE_IN_TABLE.matcher(cells[3]);
                while (m.find()) {
                    listed.add(m.group(1));
                }
            }
        }

        Set<String> exported = new TreeSet<>();
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            for (Path descriptor : modules.map(m -> m.resolve("src/main/java/module-info.java")).filter(Files::exists)
                    .toList()) {
                Matcher m = UNQUALIFIED_EXPORT.matcher(Files.readString(descriptor));
                while (m.find()) {
                    exported.add(m.group(1));
                }
            }
        }

        assertThat(exported).contains("io.cnm4j.core", "io.cnm4j.linux");
        assertThat(listed).isEqualTo(exported);
    }
}
