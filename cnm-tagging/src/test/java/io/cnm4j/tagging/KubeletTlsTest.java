package io.cnm4j.tagging;

import static io.cnm4j.tagging.KubernetesTaggerTest.await;
import static io.cnm4j.tagging.KubernetesTaggerTest.flow;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet over TLS as in-cluster agents reach it: the server certificate is trusted only
 * through the given CA file, and the bearer token is sent.
 */
class KubeletTlsTest {
    @TempDir
    Path dir;

    private void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void podsAreFetchedOverTlsTrustingOnlyTheGivenCa() throws Exception {
        Path keystore = dir.resolve("kubelet.p12");
        keytool("-genkeypair", "-alias", "kubelet", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=node-a", "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        Path ca = dir.resolve("ca.crt");
        keytool("-exportcert", "-rfc", "-alias", "kubelet", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", ca.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        byte[] pods;
        try (InputStream in = KubeletTlsTest.class.getResourceAsStream("/kube/kubelet-pods.json")) {
            pods = in.readAllBytes();
        }
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/pods", exchange -> {
            try (exchange) {
                boolean authorized = "Bearer tls-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = authorized ? pods : new byte[0];
                exchange.sendResponseHeaders(authorized ? 200 : 401, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        Path token = Files.writeString(dir.resolve("token"), "tls-token");
        URI base = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
        try (KubernetesTagger trusted = KubernetesTagger.builder()
                        .source(KubernetesSource.kubelet(base, token, ca, Duration.ofSeconds(5))).build();
                KubernetesTagger untrusted = KubernetesTagger.builder()
                        .source(KubernetesSource.kubelet(base, token, null, Duration.ofSeconds(5))).build()) {
            var webToDb = flow("10.244.1.12", "10.244.2.7", 0);
            await(() -> !trusted.tags(webToDb).isEmpty());
            await(() -> untrusted.telemetry().get(KubernetesTagger.LOOKUP_FAILURES) >= 1);

            assertThat(trusted.tags(webToDb))
                    .containsEntry("pod_name", "web-7d4b9c8f6d-x2x9k").containsEntry("remote_pod_name", "db-0");
            assertThat(untrusted.tags(webToDb)).isEmpty();
        } finally {
            server.stop(0);
        }
    }
}
