package io.cnm4j.linux.internal.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cnm4j.core.internal.ffm.LinuxErrno;
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
    void provenanceNamesTheLoadedFileItsVersionAndItsHash() throws Exception {
        assumeTrue(LibBpf.isAvailable(), "libbpf.so.1 is not installed");

        // when
        java.util.Map<String, String> provenance = LibBpf.provenance();

        // then
        java.nio.file.Path path = java.nio.file.Path.of(provenance.get("libbpf_path"));
        assertThat(provenance).containsOnlyKeys("libbpf_path", "libbpf_version", "libbpf_sha256");
        assertThat(path).isAbsolute().isEqualTo(path.toRealPath());
        assertThat(path.getFileName().toString()).startsWith("libbpf.so.1");
        assertThat(provenance.get("libbpf_version")).matches("v1\\.\\d+");
        assertThat(provenance.get("libbpf_sha256")).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(path))));
    }

    @Test
    void strerrorGivesTheTextOfKernelAndLibbpfErrors() {
        assumeTrue(LibBpf.isAvailable(), "libbpf.so.1 is not installed");

        assertThat(LibBpf.strerror(LinuxErrno.ENOENT)).isEqualTo("No such file or directory");
        assertThat(LibBpf.strerror(-LinuxErrno.ENOENT)).isEqualTo("No such file or directory");
        assertThat(LibBpf.strerror(4000)).isEqualTo("Something wrong in libelf");
    }
}
