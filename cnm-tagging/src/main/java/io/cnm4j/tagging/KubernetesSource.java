package io.cnm4j.tagging;

import io.cnm4j.tagging.internal.KubeHttpSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the {@link KubernetesTagger} learns pods and services. Called only from the tagger's
 * background thread, so an implementation may block (bounded by its own timeout).
 */
public interface KubernetesSource {
    /** Where in-cluster agents find their service account. */
    Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    /**
     * {@return the pods this source knows}
     *
     * @throws IOException when the source cannot be read
     */
    List<KubePod> pods() throws IOException;

    /**
     * {@return the services this source knows; none by default (the kubelet does not serve them)}
     *
     * @throws IOException when the source cannot be read
     */
    default List<KubeService> services() throws IOException {
        return List.of();
    }

    /**
     * The kubelet's {@code /pods} endpoint ({@code https://<node>:10250}): this node's pods. The
     * bearer token file is read again on each request (projected tokens rotate).
     *
     * @param base kubelet URI without path
     * @param tokenFile bearer token file, or null for none
     * @param caCertificate PEM CA certificates to trust, or null for the JDK's trust store
     *
     * @param timeout connect and read timeout of each request
     * @return the source
     */
    static KubernetesSource kubelet(URI base, Path tokenFile, Path caCertificate, Duration timeout) {
        return new KubeHttpSource(base, "/pods", null, tokenFile, caCertificate, timeout);
    }

    /**
     * The API server: every pod of the cluster ({@code /api/v1/pods}, so that remote ends on other
     * nodes are tagged too) and every service ({@code /api/v1/services}).
     *
     * @param base the API server's base URI
     * @param caCertificate the CA certificate (PEM) that signed the server's certificate
     * @param timeout connect and read timeout of each request
     * @param tokenFile the bearer token file
     * @return the source
     */
    static KubernetesSource apiServer(URI base, Path tokenFile, Path caCertificate, Duration timeout) {
        return new KubeHttpSource(base, "/api/v1/pods", "/api/v1/services", tokenFile, caCertificate, timeout);
    }

    /**
     * The API server as an in-cluster agent reaches it: {@code KUBERNETES_SERVICE_HOST} /
     * {@code KUBERNETES_SERVICE_PORT} and the pod's service account token and CA. Empty outside a cluster.
     *
     * @return the source, or empty outside a cluster
     */
    static Optional<KubernetesSource> inCluster() {
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        String port = System.getenv("KUBERNETES_SERVICE_PORT");
        if (host == null || port == null || !Files.exists(SERVICE_ACCOUNT.resolve("token"))) {
            return Optional.empty();
        }
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return Optional.of(apiServer(URI.create("https://" + authority + ":" + port),
                SERVICE_ACCOUNT.resolve("token"), SERVICE_ACCOUNT.resolve("ca.crt"), Duration.ofSeconds(10)));
    }
}
