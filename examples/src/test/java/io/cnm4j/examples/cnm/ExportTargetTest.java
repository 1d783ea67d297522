package io.cnm4j.examples.cnm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cnm4j.examples.otel.OtlpFlowExporter.Temporality;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportTargetTest {
    @Test
    void kafkaTargetNamesBrokerAndTopic() throws UsageException {
        assertThat(ExportTarget.parse("kafka://broker-1:9092/cnm"))
                .isEqualTo(new ExportTarget("kafka://broker-1:9092/cnm", "kafka", "broker-1:9092", "cnm", null));
    }

    @Test
    void otlpTargetIsCumulativeUnlessDeltaIsAsked() throws UsageException {
        assertThat(ExportTarget.parse("otlp://collector:4318").temporality()).isEqualTo(Temporality.CUMULATIVE);
        assertThat(ExportTarget.parse("otlp://collector:4318?temporality=delta"))
                .isEqualTo(new ExportTarget("otlp://collector:4318?temporality=delta", "otlp", "collector:4318", null,
                        Temporality.DELTA));
    }

    @Test
    void watchTakesSeveralExports() throws UsageException {
        WatchCommand watch = (WatchCommand) Cnm.parse(List.of("watch", "--export", "kafka://b:9092/t",
                "--export", "otlp://c:4318"));

        assertThat(watch.exports()).extracting(ExportTarget::kind).containsExactly("kafka", "otlp");
    }

    @Test
    void targetsWithoutPortTopicOrKnownSchemeAreUsageErrors() {
        for (String bad : List.of("kafka://broker/cnm", "kafka://broker:9092", "kafka://broker:9092/", "otlp://c:4318/v1",
                "otlp://c:4318?temporality=weekly", "http://c:4318", "kafka:broker:9092/cnm")) {
            assertThatThrownBy(() -> ExportTarget.parse(bad)).as(bad).isInstanceOfSatisfying(UsageException.class, e -> {
                assertThat(e.problem()).isEqualTo(UsageException.Problem.BAD_VALUE);
                assertThat(e.argument()).isEqualTo("--export");
                assertThat(e.getMessage()).isEqualTo("--export takes kafka://HOST:PORT/TOPIC or "
                        + "otlp://HOST:PORT[?temporality=delta], not '" + bad + "'");
            });
        }
    }

    @Test
    void fleetNeedsAKafkaSource() throws UsageException {
        assertThat(Cnm.parse(List.of("fleet", "--from", "kafka://b:9092/cnm", "--window", "5m", "--duration", "10s")))
                .isEqualTo(new FleetCommand("b:9092", "cnm", java.time.Duration.ofMinutes(5), java.time.Duration.ofSeconds(10)));
        assertThatThrownBy(() -> Cnm.parse(List.of("fleet"))).isInstanceOfSatisfying(UsageException.class,
                e -> assertThat(e.problem()).isEqualTo(UsageException.Problem.MISSING_OPTION));
        assertThatThrownBy(() -> Cnm.parse(List.of("fleet", "--from", "otlp://c:4318"))).isInstanceOfSatisfying(
                UsageException.class, e -> assertThat(e.getMessage()).isEqualTo("--from takes kafka://HOST:PORT/TOPIC"));
    }
}
