package io.cnm4j.tagging.internal;

import io.cnm4j.tagging.KubePod;
import io.cnm4j.tagging.KubeService;
import io.cnm4j.tagging.KubernetesSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Kubelet or API server over HTTP(S) with the JDK client, a bearer token file and a CA file. */
public final class KubeHttpSource implements KubernetesSource {
    private final URI base;
    private final String podsPath;
    private final String servicesPath;
    private final Path tokenFile;
    private final Duration timeout;
    private final HttpClient client;

    public KubeHttpSource(URI base, String podsPath, String servicesPath, Path tokenFile, Path caCertificate,
            Duration timeout) {
        this.base = base;
        this.podsPath = podsPath;
        this.servicesPath = servicesPath;
        this.tokenFile = tokenFile;
        this.timeout = timeout;
        // The client's own workers get our thread names (its selector thread keeps the JDK's name).
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                .executor(Executors.newCachedThreadPool(
                        Thread.ofPlatform().daemon().name("cnm4j-kube-http-", 0).factory()));
        if (caCertificate != null) {
            builder.sslContext(sslContext(caCertificate));
        }
        this.client = builder.build();
    }

    private static SSLContext sslContext(Path caCertificate) {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read CA certificates from " + caCertificate + ": " + e, e);
        }
    }

    @Override
    public List<KubePod> pods() throws IOException {
        return KubeJson.pods(get(podsPath));
    }

    @Override
    public List<KubeService> services() throws IOException {
        return servicesPath == null ? List.of() : KubeJson.services(get(servicesPath));
    }

    private Object get(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json").GET();
        if (tokenFile != null) {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + path + " answered HTTP " + response.statusCode());
                }
                return JsonTree.read(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during GET " + path, e);
        }
    }
}
