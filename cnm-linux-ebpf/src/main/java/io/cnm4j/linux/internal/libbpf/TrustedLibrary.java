package io.cnm4j.linux.internal.libbpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A shared library found by absolute path in root-controlled places, rather than wherever the
 * dynamic loader's search path ({@code LD_LIBRARY_PATH}, the working directory of a careless
 * {@code dlopen}) would lead: code loaded into a process that holds BPF privileges must not be
 * replaceable by anyone but root.
 *
 * <p>The rule: the file, every symbolic link on the way to it, and every directory above each of
 * them must be owned by root and not writable by group or others. The library's SHA-256 is taken
 * from the same file, for the capabilities report.
 *
 * @param path   the real path of the library file (symbolic links resolved)
 * @param sha256 lower-case hex SHA-256 of its contents
 */
record TrustedLibrary(Path path, String sha256) {
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int MAX_LINK_HOPS = 40;

    /**
     * The directories searched, in order: the multiarch and 64-bit library directories of the
     * distributions, then the general ones, then {@code /usr/local} (where {@code make install} of
     * libbpf puts it).
     */
    static List<Path> systemDirectories() {
        List<Path> directories = new ArrayList<>();
        String multiarch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> null;
        };
        for (String base : List.of("/lib", "/usr/lib")) {
            if (multiarch != null) {
                directories.add(Path.of(base, multiarch));
            }
        }
        for (String directory : List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib64",
                "/usr/local/lib")) {
            directories.add(Path.of(directory));
        }
        return directories;
    }

    /**
     * The first {@code fileName} in {@code directories}, checked.
     *
     * @throws RefusedException when none exists, or the first one found breaks the rule (one
     *                          sentence naming the path and why)
     */
    static TrustedLibrary locate(String fileName, List<Path> directories) throws RefusedException {
        for (Path directory : directories) {
            Path candidate = directory.resolve(fileName);
            if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return check(candidate);
            }
        }
        throw new RefusedException(fileName + " was not found in " + directories);
    }

    /** The library at {@code file}, once it and everything above it pass the rule. */
    static TrustedLibrary check(Path file) throws RefusedException {
        Path current = file.toAbsolutePath().normalize();
        try {
            for (int hops = 0; Files.isSymbolicLink(current); hops++) {
                if (hops == MAX_LINK_HOPS) {
                    throw new RefusedException(file + " has too many symbolic links");
                }
                requireRootOnly(current.getParent(), file);
                current = current.getParent().resolve(Files.readSymbolicLink(current)).normalize();
            }
            requireRootOnly(current.getParent(), file);
            if (!Files.isRegularFile(current, LinkOption.NOFOLLOW_LINKS)) {
                throw new RefusedException(file + " is not a regular file");
            }
            // Directories on the way may themselves be links (/lib -> usr/lib): the real ones count too.
            Path real = current.toRealPath();
            requireRootOnly(real.getParent(), file);
            requireRootOnlyEntry(real, file);
            return new TrustedLibrary(real, sha256(real));
        } catch (IOException e) {
            throw new RefusedException(file + " cannot be checked: " + e.getMessage());
        }
    }

    /** The directory and every directory above it, each root-owned and writable by root alone. */
    private static void requireRootOnly(Path directory, Path library) throws IOException, RefusedException {
        for (Path d = directory; d != null; d = d.getParent()) {
            requireRootOnlyEntry(d, library);
        }
    }

    private static void requireRootOnlyEntry(Path entry, Path library) throws IOException, RefusedException {
        int uid = (Integer) Files.getAttribute(entry, "unix:uid");
        int mode = (Integer) Files.getAttribute(entry, "unix:mode");
        if (uid != 0) {
            throw new RefusedException("refusing " + library + ": " + entry + " is owned by uid " + uid
                    + ", not root");
        }
        if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
            throw new RefusedException(String.format(Locale.ROOT, "refusing %s: %s is writable by %s (mode %o)",
                    library, entry, (mode & 0002) != 0 ? "others" : "its group", mode & 07777));
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK provides SHA-256", impossible);
        }
    }

    private static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    /** Why a library may not be loaded; the message is one sentence naming the path. */
    static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }
}
