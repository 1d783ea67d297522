package io.cnm4j.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.NetworkMonitor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A replay file holds recorded flows: a bad line's content must not reach a log at INFO. */
class ReplayLogPrivacyTest {
    private static final String CANARY_DOMAIN = "bank.canary.test";
    private static final String CANARY_ADDRESS = "10.9.9.9";

    @Test
    void rejectedLineIsLoggedByNumberWithoutItsContent() {
        // given: slf4j-simple at its default level, INFO, writing to the current System.err
        assertThat(LoggerFactory.getLogger(ReplayBackendProvider.class).isInfoEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger(ReplayBackendProvider.class).isDebugEnabled()).isFalse();
        List<String> lines = List.of("{\"event\":\"" + CANARY_DOMAIN + " " + CANARY_ADDRESS + "\"}",
                "{\"event\":\"tick\"}");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;

        // when
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (NetworkMonitor monitor = NetworkMonitor.builder().config(MonitorConfig.defaults())
                .backend(ReplayBackendProvider.fromLines(lines)).build()) {
            FlowClient client = monitor.registerClient("c");
            monitor.start();
            client.poll();
        } finally {
            System.setErr(original);
        }

        // then
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("replay line 1 rejected (the problem is logged at DEBUG)")
                .doesNotContain(CANARY_DOMAIN).doesNotContain(CANARY_ADDRESS);
    }
}
