package io.cnm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the README honest: its quick-start snippet must compile against the current API. */
class ReadmeQuickStartTest {
    private static final String MARKER = "<!-- quick-start";

    static String quickStartSnippet(String readme) {
        int marker = readme.indexOf(MARKER);
        int start = readme.indexOf("```java\n", marker) + "```java\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end);
    }

    @Test
    void quickStartCompiles(@TempDir Path out) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).contains(MARKER);
        String source = quickStartSnippet(readme);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///QuickStart.java"), JavaFileObject.Kind.SOURCE) {
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
        assertThat(out.resolve("QuickStart.class")).exists();
    }
}
