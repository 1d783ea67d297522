package io.cnm4j.linux.internal.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
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
    void availabilityAndItsReasonAgree() {
        assertThat(LibBpf.isAvailable()).isEqualTo(LibBpf.unavailableReason().isEmpty());
    }

    @Test
    void strerrorGivesTheTextOfKernelAndLibbpfErrors() {
        assumeTrue(LibBpf.isAvailable(), "libbpf.so.1 is not installed");

        assertThat(LibBpf.strerror(Errno.ENOENT)).isEqualTo("No such file or directory");
        assertThat(LibBpf.strerror(-Errno.ENOENT)).isEqualTo("No such file or directory");
        assertThat(LibBpf.strerror(4000)).isEqualTo("Something wrong in libelf");
    }
}
