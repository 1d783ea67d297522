package io.cnm4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The C storm generator builds with the host's compiler and makes exactly the transactions asked for. */
class StormGeneratorTest {
    @TempDir
    static Path buildDirectory;

    private static StormGenerator storm;

    @BeforeAll
    static void build() throws IOException, InterruptedException {
        storm = StormGenerator.build(buildDirectory);
    }

    @Test
    void makesEveryTransactionOfACountedRunOnTheGivenPort() throws Exception {
        // given
        int port = StormGenerator.freeLoopbackPort();

        // when
        StormResult result = storm.run(port, "--count", "300", "--concurrency", "16", "--threads", "2");

        // then
        assertThat(result.made()).isEqualTo(300);
        assertThat(result.failed()).isZero();
        assertThat(result.port()).isEqualTo(port);
        assertThat(result.elapsedNanos()).isPositive();
    }

    @Test
    void theServerClosesFirstSoNoClientSocketIsLeftInTimeWait() throws Exception {
        // given
        int port = StormGenerator.freeLoopbackPort();

        // when
        StormResult result = storm.run(port, "--count", "100", "--concurrency", "8");

        // then: TIME_WAIT is the state of the side that closed first; the clients' remote port is the server's
        assertThat(result.made()).isEqualTo(100);
        assertThat(timeWaitSockets("dport = :" + port)).isZero();
    }

    @Test
    void refusesAnUnknownOptionWithItsExitCode() {
        assertThatThrownBy(() -> storm.run(StormGenerator.freeLoopbackPort(), "--count", "1", "--bogus", "1"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with 2");
    }

    private static long timeWaitSockets(String filter) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-H", "-t", "-a", "-n", "state", "time-wait", "( " + filter + " )").start();
        String lines = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor()).as("ss exit code").isZero();
        return lines.lines().filter(line -> !line.isBlank()).count();
    }
}
