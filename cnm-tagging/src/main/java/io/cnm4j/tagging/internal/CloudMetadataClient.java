package io.cnm4j.tagging.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * Asks the instance metadata endpoint for the zone and region: AWS (IMDSv2: a session token from
 * {@code PUT /latest/api/token}, then {@code placement/availability-zone} and {@code placement/region})
 * GCP ({@code /computeMetadata/v1/instance/zone} with {@code Metadata-Flavor: Google}) and Azure
 * ({@code /metadata/instance/compute} with {@code Metadata: true}; the zone written as Kubernetes
 * labels it, {@code <location>-<zone>}), tried in that order. Blocking, bounded by the timeout;
 * for a background thread.
 */
public final class CloudMetadataClient {
    /** What the endpoint told. */
    public record Placement(String provider, String zone, String region) {
    }

    private final URI base;
    private final Duration timeout;
    private final HttpClient client;

    public CloudMetadataClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        // metadata endpoints never redirect, and a proxy must not see these requests
        // the client's own workers get our thread names (its selector thread keeps the JDK's name)
        this.client = HttpClient.newBuilder().connectTimeout(timeout).proxy(HttpClient.Builder.NO_PROXY)
                .executor(Executors.newCachedThreadPool(
                        Thread.ofPlatform().daemon().name("cnm4j-cloud-metadata-http-", 0).factory()))
                .build();
    }

    /** The placement, or empty when no known provider answers. */
    public Optional<Placement> placement() throws InterruptedException {
        Optional<Placement> aws = aws();
        if (aws.isPresent()) {
            return aws;
        }
        Optional<Placement> gcp = gcp();
        return gcp.isPresent() ? gcp : azure();
    }

    private Optional<Placement> aws() throws InterruptedException {
        try {
            HttpResponse<String> token = client.send(HttpRequest.newBuilder(base.resolve("/latest/api/token"))
                    .timeout(timeout).header("X-aws-ec2-metadata-token-ttl-seconds", "300")
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (token.statusCode() != 200 || token.body().isBlank()) {
                return Optional.empty();
            }
            String zone = awsGet("/latest/meta-data/placement/availability-zone", token.body().strip());
            if (zone.isEmpty()) {
                return Optional.empty();
            }
            String region = awsGet("/latest/meta-data/placement/region", token.body().strip());
            return Optional.of(new Placement("aws", zone, region.isEmpty() ? regionOfAwsZone(zone) : region));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String awsGet(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("X-aws-ec2-metadata-token", token).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body().strip() : "";
    }

    private Optional<Placement> gcp() throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/computeMetadata/v1/instance/zone"))
                    .timeout(timeout).header("Metadata-Flavor", "Google").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || !"Google".equals(response.headers().firstValue("Metadata-Flavor").orElse(""))) {
                return Optional.empty();
            }
            // "projects/123456789/zones/europe-west1-b"
            String body = response.body().strip();
            String zone = body.substring(body.lastIndexOf('/') + 1);
            int dash = zone.lastIndexOf('-');
            return zone.isEmpty() ? Optional.empty()
                    : Optional.of(new Placement("gcp", zone, dash > 0 ? zone.substring(0, dash) : ""));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Placement> azure() throws InterruptedException {
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                    base.resolve("/metadata/instance/compute?api-version=2021-02-01")).timeout(timeout)
                    .header("Metadata", "true").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            Object compute = JsonTree.read(response.body());
            String location = JsonTree.string(compute, "location");
            String zone = JsonTree.string(compute, "zone");
            if (location.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Placement("azure", zone.isEmpty() ? "" : location + "-" + zone, location));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** "eu-west-1a" → "eu-west-1"; local zones ("us-west-2-lax-1a") keep their region prefix. */
    static String regionOfAwsZone(String zone) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z]+-[a-z]+-\\d+).*").matcher(zone);
        return m.matches() ? m.group(1) : "";
    }
}
