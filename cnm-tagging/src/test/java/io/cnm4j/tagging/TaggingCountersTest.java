package io.cnm4j.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.Tagger;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.testing.ReadmeTelemetryTable;
import io.cnm4j.tagging.internal.TaggingCounters;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaggingCountersTest {
    @TempDir
    Path dir;

    @Test
    void everyTaggerReportsExactlyTheCountersItDeclares() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "t");
        try (HostTagger host = HostTagger.builder().host("h").build();
                ContainerTagger containers = ContainerTagger.builder().procRoot(dir).build();
                KubernetesTagger kube = KubernetesTagger.builder()
                        .source(KubernetesSource.apiServer(URI.create("http://127.0.0.1:9/"), token, null,
                                Duration.ofSeconds(1))).build()) {
            List<Tagger> taggers = List.of(ProcessTagger.builder().procRoot(dir).build(), host, containers, kube);

            for (Tagger tagger : taggers) {
                assertThat(tagger.telemetry().keySet()).as(tagger.getClass().getSimpleName())
                        .isEqualTo(names(tagger.telemetryCounters()));
            }
        }
    }

    @Test
    void readmeDocumentsEveryTaggerCounter() {
        List<TelemetryCounter> all = new ArrayList<>(TaggingCounters.PROCESS);
        all.addAll(TaggingCounters.HOST);
        all.addAll(TaggingCounters.CONTAINER);
        all.addAll(TaggingCounters.KUBERNETES);

        assertThat(ReadmeTelemetryTable.load().problemsWith(all)).isEmpty();
    }

    private static java.util.Set<String> names(List<TelemetryCounter> counters) {
        return counters.stream().map(TelemetryCounter::name).collect(java.util.stream.Collectors.toSet());
    }
}
