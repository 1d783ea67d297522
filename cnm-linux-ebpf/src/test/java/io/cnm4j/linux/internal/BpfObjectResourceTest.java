package io.cnm4j.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BpfObjectResourceTest {
    /** The object as committed next to its C source; the build must have taken its digest from it. */
    private static final Path COMMITTED = Path.of("src/main/resources/io/cnm4j/linux/bpf/cnm_conn.bpf.o");
    private static final Path COMMITTED_SOCKET_MAP =
            Path.of("src/main/resources/io/cnm4j/linux/bpf/cnm_conn_socket_map.bpf.o");

    @Test
    void buildRecordedTheDigestOfTheCommittedObject() throws Exception {
        byte[] committed = Files.readAllBytes(COMMITTED);

        assertThat(BpfObjectResource.cnmConnSha256())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(committed)));
        assertThat(BpfObjectResource.cnmConnBytes()).isEqualTo(committed);
    }

    @Test
    void buildRecordedTheDigestOfTheCommittedSocketMapObject() throws Exception {
        byte[] committed = Files.readAllBytes(COMMITTED_SOCKET_MAP);

        assertThat(BpfObjectResource.cnmConnSocketMapSha256())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(committed)));
        assertThat(BpfObjectResource.cnmConnSocketMapBytes()).isEqualTo(committed);
    }

    @Test
    void oneChangedByteIsRefusedNamingBothDigests() throws Exception {
        // given
        byte[] changed = Files.readAllBytes(COMMITTED);
        changed[changed.length / 2] ^= 1;
        String changedSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(changed));
        String expected = BpfObjectResource.cnmConnSha256();
        String reason = "BPF object " + BpfObjectResource.CNM_CONN + " has SHA-256 " + changedSha256
                + " but this jar was built with " + expected + ": refusing to load it";

        // then
        assertThatThrownBy(() -> BpfObjectResource.verified(BpfObjectResource.CNM_CONN, changed, expected))
                .isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
                    assertThat(e).hasMessage(LinuxEbpfBackendProvider.NAME + ": " + reason);
                    assertThat(e.reasons()).containsExactly(java.util.Map.entry(LinuxEbpfBackendProvider.NAME, reason));
                });
    }

    @Test
    void objectDeclaresNoMapPinnedToBpffs() throws Exception {
        // A map pinned by libbpf (LIBBPF_PIN_BY_NAME) carries a "pinning" member in its BTF definition.
        String object = new String(Files.readAllBytes(COMMITTED), java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThat(object).doesNotContain("pinning");
    }
}
