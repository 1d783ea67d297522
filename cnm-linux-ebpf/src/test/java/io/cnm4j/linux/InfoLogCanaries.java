package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures everything logged while a test class runs, with slf4j-simple at its default level, INFO
 * (it writes to whatever {@link System#err} is at the time of each line), and checks afterwards
 * that none of the class's canaries (the domains, addresses and command-line values its traffic
 * carries) was logged: such data belongs at DEBUG or TRACE only. Register it with
 * {@code @RegisterExtension static final InfoLogCanaries LOG = new InfoLogCanaries(...)}.
 */
public final class InfoLogCanaries implements BeforeAllCallback, AfterAllCallback {
    private static final String PROBE = "cnm4j log capture probe";

    private final List<String> canaries;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    public InfoLogCanaries(String... canaries) {
        this.canaries = List.of(canaries);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        original = System.err;
        // Still shown on the console, so that a failing test keeps its output.
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        Logger logger = LoggerFactory.getLogger(InfoLogCanaries.class);
        assertThat(logger.isInfoEnabled()).as("logging at INFO").isTrue();
        assertThat(logger.isDebugEnabled()).as("logging at INFO, not DEBUG").isFalse();
        logger.info(PROBE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.setErr(original);
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the capture works").contains(PROBE);
        for (String canary : canaries) {
            assertThat(log).as("INFO log of %s", context.getDisplayName()).doesNotContain(canary);
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }
}
