package io.cnm4j.linux.internal.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The rule for loading a library: the file, every link hop and every directory above them owned
 * by root and writable by nobody else. The scenarios live under the module's {@code target}
 * directory and need root (only root can make a root-owned file), and ancestors of the build
 * directory that are themselves root-only.
 */
@EnabledOnOs(OS.LINUX)
class TrustedLibraryTest {
    private static final byte[] CONTENT = {0x7f, 'E', 'L', 'F', 1, 2, 3};

    private Path directory;
    private Path library;

    @BeforeEach
    void rootOnlyDirectoryWithALibrary() throws Exception {
        Assumptions.assumeTrue("0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))),
                "library trust is about root-owned files: run as root");
        // /run is root-owned and not writable by others on every Linux host; the build directory may
        // sit below a world-writable one (/tmp), where no library can be trusted
        directory = Files.createDirectories(Path.of("/run", "cnm4j-trusted-library-test-" + UUID.randomUUID()));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        library = Files.write(directory.resolve("libdemo.so.1"), CONTENT);
        Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rw-r--r--"));
        try {
            TrustedLibrary.check(library);
        } catch (TrustedLibrary.RefusedException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI=true: /run is not root-only here, so trust cannot be tested", e);
            }
            Assumptions.abort("/run is not root-only, so no library in it can pass: " + e.getMessage());
        }
    }

    @AfterEach
    void removeTheDirectory() throws Exception {
        if (directory != null && Files.exists(directory)) {
            try (var paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    @Test
    void rootOnlyLibraryIsAcceptedWithItsRealPathAndHash() throws Exception {
        // given: the soname is a link to the versioned file, as distributions install it
        Path soname = Files.createSymbolicLink(directory.resolve("libdemo.so"), Path.of("libdemo.so.1"));

        // when
        TrustedLibrary found = TrustedLibrary.locate("libdemo.so", List.of(directory.resolve("absent"), directory));

        // then
        assertThat(soname).isSymbolicLink();
        assertThat(found.path()).isEqualTo(library.toRealPath());
        assertThat(found.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(CONTENT)));
    }

    @Test
    void groupWritableLibraryIsRefused() throws Exception {
        Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rw-rw-r--"));

        assertThatThrownBy(() -> TrustedLibrary.check(library))
                .isInstanceOf(TrustedLibrary.RefusedException.class)
                .hasMessage("refusing " + library + ": " + library + " is writable by its group (mode 664)");
    }

    @Test
    void worldWritableDirectoryIsRefused() throws Exception {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> TrustedLibrary.check(library))
                .isInstanceOf(TrustedLibrary.RefusedException.class)
                .hasMessage("refusing " + library + ": " + directory + " is writable by others (mode 777)");
    }

    @Test
    void libraryNotOwnedByRootIsRefused() throws Exception {
        Files.setAttribute(library, "unix:uid", 65534);

        assertThatThrownBy(() -> TrustedLibrary.check(library))
                .isInstanceOf(TrustedLibrary.RefusedException.class)
                .hasMessage("refusing " + library + ": " + library + " is owned by uid 65534, not root");
    }

    @Test
    void linkIntoAWritableDirectoryIsRefused() throws Exception {
        // given: a root-only link whose target lies in a directory anyone can write
        Path writable = Files.createDirectories(directory.resolve("drop"));
        Files.setAttribute(writable, "unix:mode", 01777);
        Files.write(writable.resolve("libdemo.so.9"), CONTENT);
        Path link = Files.createSymbolicLink(directory.resolve("libdemo.so"), Path.of("drop/libdemo.so.9"));

        // then
        assertThatThrownBy(() -> TrustedLibrary.check(link))
                .isInstanceOf(TrustedLibrary.RefusedException.class)
                .hasMessage("refusing " + link + ": " + writable + " is writable by others (mode 1777)");
    }

    @Test
    void missingLibraryNamesTheDirectoriesSearched() {
        assertThatThrownBy(() -> TrustedLibrary.locate("libnothing.so.1", List.of(directory)))
                .isInstanceOf(TrustedLibrary.RefusedException.class)
                .hasMessage("libnothing.so.1 was not found in [" + directory + "]");
    }
}
