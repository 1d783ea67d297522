package io.cnm4j.linux.internal;

import io.cnm4j.core.BackendUnavailableException;
import io.cnm4j.linux.LinuxEbpfBackendProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The compiled BPF objects shipped in this jar, each read from the class path only after its SHA-256
 * matches the digest generated when the jar was built ({@code BpfObjectDigests}). A resource of
 * the same name earlier on the class path, or a damaged jar, therefore cannot put other programs
 * into the kernel: the backend refuses to load and says which digest it found.
 *
 * <p>Stateless; safe from any thread.
 */
final class BpfObjectResource {
    /** Class-path name of the connection-tracking object. */
    public static final String CNM_CONN = "/io/cnm4j/linux/bpf/cnm_conn.bpf.o";
    /** Class-path name of the same object built for kernels without socket helpers in tracing programs. */
    public static final String CNM_CONN_SOCKET_MAP = "/io/cnm4j/linux/bpf/cnm_conn_socket_map.bpf.o";

    private BpfObjectResource() {
    }

    /**
     * The bytes of {@link #CNM_CONN}, verified.
     *
     * @throws BackendUnavailableException when the resource is missing or its digest differs
     */
    public static byte[] cnmConnBytes() {
        return read(CNM_CONN, BpfObjectDigests.CNM_CONN_SHA256);
    }

    /** The SHA-256 the build recorded for {@link #CNM_CONN}, lower-case hex. */
    public static String cnmConnSha256() {
        return BpfObjectDigests.CNM_CONN_SHA256;
    }

    /**
     * The bytes of {@link #CNM_CONN_SOCKET_MAP}, verified.
     *
     * @throws BackendUnavailableException when the resource is missing or its digest differs
     */
    public static byte[] cnmConnSocketMapBytes() {
        return read(CNM_CONN_SOCKET_MAP, BpfObjectDigests.CNM_CONN_SOCKET_MAP_SHA256);
    }

    /** The SHA-256 the build recorded for {@link #CNM_CONN_SOCKET_MAP}, lower-case hex. */
    public static String cnmConnSocketMapSha256() {
        return BpfObjectDigests.CNM_CONN_SOCKET_MAP_SHA256;
    }

    private static byte[] read(String resource, String expectedSha256) {
        byte[] bytes;
        try (InputStream in = BpfObjectResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw unavailable("BPF object " + resource + " is missing from the class path");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
        return verified(resource, bytes, expectedSha256);
    }

    /**
     * The bytes, when their SHA-256 is {@code expectedSha256}.
     *
     * @throws BackendUnavailableException naming the resource and both digests otherwise
     */
    static byte[] verified(String resource, byte[] bytes, String expectedSha256) {
        String actual = sha256(bytes);
        if (!actual.equals(expectedSha256)) {
            throw unavailable("BPF object " + resource + " has SHA-256 " + actual + " but this jar was built with "
                    + expectedSha256 + ": refusing to load it");
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK provides SHA-256", impossible);
        }
    }

    private static BackendUnavailableException unavailable(String reason) {
        return new BackendUnavailableException(LinuxEbpfBackendProvider.NAME + ": " + reason,
                Map.of(LinuxEbpfBackendProvider.NAME, reason));
    }
}
