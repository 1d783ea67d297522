package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnmCommandsTest {
    private static final String REPLAY = TestFiles.replay("two-intervals.jsonl").toString();

    @Test
    void capsReportsTheReplayBackend() {
        CommandRun run = CommandRun.of("caps", "--replay", REPLAY);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("backend: replay\n  tcp                on   as recorded\n")
                .contains("  nat                off  replay files carry no NAT translation\n");
    }

    @Test
    void noUsableBackendIsOneSentenceAndExitCode2() {
        // given: a backend name nothing on the class path provides
        // when
        CommandRun run = CommandRun.of("caps", "--backend", "no-such-backend");

        // then
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("No backend is named 'no-such-backend'; known: ").endsWith(".\n")
                .hasLineCount(1);
    }

    @Test
    void permissionFailuresAreRecognizedThroughTheirCauses() {
        RuntimeException eperm = new IllegalStateException("cannot start capture",
                new RuntimeException("bpf_prog_load failed: EPERM (Operation not permitted)"));

        assertThat(Privileges.isMissingPrivilege(eperm)).isTrue();
        assertThat(Privileges.isMissingPrivilege(new RuntimeException(new AccessDeniedException("/sys/fs/bpf")))).isTrue();
        assertThat(Privileges.isMissingPrivilege(new IllegalStateException("map full"))).isFalse();
        assertThat(Privileges.firstSentence(new IllegalStateException("bpf_prog_load failed:\n EPERM")))
                .isEqualTo("bpf_prog_load failed: EPERM.");
        assertThat(Privileges.withHint(eperm.getCause(), Cnm.PRIVILEGE_HINT)).isEqualTo("bpf_prog_load failed: "
                + "EPERM (Operation not permitted); run as root or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN.");
    }

    @Test
    void topDrawsFramesUntilQIsPressed() {
        // given: a keyboard that presses q after a few refreshes
        InputStream keyboard = new InputStream() {
            private boolean pressed;

            @Override
            public int read() {
                if (pressed) {
                    return -1;
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                pressed = true;
                return 'q';
            }
        };

        // when
        CommandRun run = CommandRun.withInput(keyboard, "top", "--replay", REPLAY, "--interval", "20ms");

        // then
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith(Terminal.CLEAR + "cnm4j top: backend replay, first refresh in 20ms (q quits)"
                + Terminal.CLEAR + "cnm4j top ");
        assertThat(run.out()).contains("             4194401 out 93.184.216.34:443          300   1.2K   2.5ms    0    0")
                .contains("    example.com                                                 2  50.0%   240us")
                .endsWith("\n");
    }

    @Test
    void processNamesComeFromCommFilesAndAreCached(@TempDir Path proc) throws Exception {
        // given
        Files.createDirectories(proc.resolve("42"));
        Files.writeString(proc.resolve("42/comm"), "nginx\n");
        ProcCommNames names = new ProcCommNames(proc);

        // when
        String first = names.nameOf(42);
        Files.writeString(proc.resolve("42/comm"), "other\n");

        // then
        assertThat(first).isEqualTo("nginx");
        assertThat(names.nameOf(42)).isEqualTo("nginx");
        assertThat(names.nameOf(43)).isEmpty();
        assertThat(names.nameOf(0)).isEmpty();
    }
}
