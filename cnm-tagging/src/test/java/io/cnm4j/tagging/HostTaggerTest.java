package io.cnm4j.tagging;

import static io.cnm4j.tagging.KubernetesTaggerTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTaggerTest {
    @TempDir
    Path proc;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void configuredValuesAndStaticTagsWithTheKernelHostName() throws IOException {
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/hostname"), "node-a\n");
        try (HostTagger tagger = HostTagger.builder().procRoot(proc).zone("eu-west-1a").region("eu-west-1")
                .tag("env", "prod").tag("team", "payments").build()) {
            assertThat(tagger.tags(KubernetesTaggerTest.flow("10.0.0.1", "10.0.0.2", 0))).isEqualTo(Map.of(
                    "host", "node-a", "zone", "eu-west-1a", "region", "eu-west-1", "env", "prod", "team", "payments"));
        }
    }

    @Test
    void awsImdsV2GivesZoneAndRegion() throws Exception {
        try (RecordedHttpServer imds = new RecordedHttpServer()
                .serve("/latest/api/token", text("AQAEAFakeSessionToken=="))
                .serve("/latest/meta-data/placement/availability-zone", text("eu-west-1b"))
                .serve("/latest/meta-data/placement/region", text("eu-west-1"));
                HostTagger tagger = HostTagger.builder().host("h").zone("configured-wins").cloudMetadata(imds.uri()).build()) {
            await(() -> tagger.current().containsKey("cloud_provider"));

            assertThat(tagger.current()).isEqualTo(Map.of("host", "h", "cloud_provider", "aws", "zone", "configured-wins",
                    "region", "eu-west-1"));
            assertThat(imds.requests()).startsWith("PUT /latest/api/token",
                    "GET /latest/meta-data/placement/availability-zone", "GET /latest/meta-data/placement/region");
        }
    }

    @Test
    void gcpMetadataGivesZoneAndItsRegion() throws Exception {
        try (RecordedHttpServer gce = new RecordedHttpServer().header("Metadata-Flavor", "Google")
                .serve("/computeMetadata/v1/instance/zone", text("projects/123456789012/zones/europe-west1-b"));
                HostTagger tagger = HostTagger.builder().host("h").cloudMetadata(gce.uri()).build()) {
            await(() -> tagger.current().containsKey("zone"));

            assertThat(tagger.current()).isEqualTo(Map.of("host", "h", "cloud_provider", "gcp", "zone", "europe-west1-b",
                    "region", "europe-west1"));
            assertThat(tagger.telemetry()).containsEntry(HostTagger.LOOKUP_FAILURES, 0L);
        }
    }

    @Test
    void azureInstanceMetadataGivesLocationAndNumberedZone() throws Exception {
        String compute = "{\"azEnvironment\":\"AzurePublicCloud\",\"location\":\"westeurope\",\"name\":\"vm-1\","
                + "\"vmSize\":\"Standard_D2s_v5\",\"zone\":\"2\",\"tagsList\":[]}";
        try (RecordedHttpServer imds = new RecordedHttpServer().serve("/metadata/instance/compute", text(compute));
                HostTagger tagger = HostTagger.builder().host("h").cloudMetadata(imds.uri()).build()) {
            await(() -> tagger.current().containsKey("zone"));

            assertThat(tagger.current()).isEqualTo(Map.of("host", "h", "cloud_provider", "azure", "zone", "westeurope-2",
                    "region", "westeurope"));
            assertThat(imds.requests()).contains("GET /metadata/instance/compute?api-version=2021-02-01");
        }
    }

    @Test
    void silentEndpointIsCountedAndRetriedUntilItAnswers() throws Exception {
        try (RecordedHttpServer endpoint = new RecordedHttpServer();
                HostTagger tagger = HostTagger.builder().host("h").cloudMetadata(endpoint.uri())
                        .metadataRetry(Duration.ofMillis(50)).build()) {
            await(() -> tagger.telemetry().get(HostTagger.LOOKUP_FAILURES) >= 2);
            assertThat(tagger.current()).isEqualTo(Map.of("host", "h"));

            endpoint.header("Metadata-Flavor", "Google")
                    .serve("/computeMetadata/v1/instance/zone", text("projects/1/zones/us-central1-a"));
            await(() -> tagger.current().containsKey("zone"));
            assertThat(tagger.current()).containsEntry("zone", "us-central1-a").containsEntry("region", "us-central1");
        }
    }
}
