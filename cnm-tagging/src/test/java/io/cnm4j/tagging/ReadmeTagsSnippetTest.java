package io.cnm4j.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the README's Tags section honest: its snippet compiles, and it documents every tag key. */
class ReadmeTagsSnippetTest {
    private static final String MARKER = "<!-- tags-snippet";

    private static String readme() throws IOException {
        return Files.readString(Path.of("..", "README.md"));
    }

    @Test
    void tagsSnippetCompiles(@TempDir Path out) throws IOException {
        String readme = readme();
        int marker = readme.indexOf(MARKER);
        assertThat(marker).isNotNegative();
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        String source = readme.substring(start, readme.indexOf("```", start));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///TaggedMonitor.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        StringWriter diagnostics = new StringWriter();

        List<String> options = new ArrayList<>(List.of("-classpath", classPath, "-d", out.toString()));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            // Compiled as a user's class-path code would be: against what the modules export, nothing else.
            options.addAll(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH"));
        }

        boolean compiled = compiler.getTask(diagnostics, null, null, options, null, List.of(file)).call();

        assertThat(compiled).as(diagnostics.toString()).isTrue();
    }

    @Test
    void everyTagKeyIsDocumented() throws IOException, IllegalAccessException {
        String readme = readme();
        String tags = readme.substring(readme.indexOf("## Tags"), readme.indexOf("## Quick start"));
        for (var field : TagKeys.class.getFields()) {
            String key = (String) field.get(null);
            if (key.endsWith("_") || key.endsWith(".")) {
                key = key + (key.endsWith(".") ? "<key>" : "");
            }
            String documented = key.equals(TagKeys.DOMAIN) ? "remote_domain" : key;
            assertThat(tags).as("README Tags section documents %s", field.getName()).contains("`" + documented);
        }
        Matcher counters = Pattern.compile("tag_<source>_(cache_evictions|lookup_failures|worker_errors)").matcher(tags);
        assertThat(counters.results().count()).isEqualTo(3);
    }
}
