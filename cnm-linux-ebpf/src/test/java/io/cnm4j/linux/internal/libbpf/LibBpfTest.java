package io.cnm4j.linux.internal.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class LibBpfTest {

    @Test
    void missingLibraryIsUnavailableWithAReasonNamingIt() {
        // when
        Optional<String> reason = LibBpf.probe("libcnm4j-no-such-library.so.1");

        // then
        assertThat(reason).hasValueSatisfying(text -> assertThat(text)
                .startsWith("libcnm4j-no-such-library.so.1 cannot be loaded: "));
    }

    @Test
    void libbpfIsAvailableExactlyWhenTheLibraryIsInstalled() {
        boolean installed = Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                "/usr/lib", "/lib/x86_64-linux-gnu").anyMatch(dir -> Files.exists(Path.of(dir, "libbpf.so.1")));

        assertThat(LibBpf.isAvailable()).isEqualTo(installed);
        if (!installed) {
            assertThat(LibBpf.unavailableReason()).hasValueSatisfying(reason -> assertThat(reason).contains("libbpf.so.1"));
        } else {
            assertThat(LibBpf.unavailableReason()).isEmpty();
        }
    }

    @Test
    void strerrorGivesTheTextOfKernelAndLibbpfErrors() {
        assumeTrue(LibBpf.isAvailable(), "libbpf.so.1 is not installed");

        assertThat(LibBpf.strerror(Errno.ENOENT)).isEqualTo("No such file or directory");
        assertThat(LibBpf.strerror(-Errno.ENOENT)).isEqualTo("No such file or directory");
        assertThat(LibBpf.strerror(4000)).isEqualTo("Something wrong in libelf");
    }
}
