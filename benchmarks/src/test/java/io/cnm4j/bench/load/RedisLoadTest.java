package io.cnm4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisLoadTest {

    @Test
    void readsTheGetRowOfTheCsvOutput() {
        String csv = """
                "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
                "GET","29205.61","0.370","0.048","0.247","0.471","3.615","35.135"
                """;
        assertThat(RedisLoad.getsPerSecond(csv)).isEqualTo(29_205.61);
    }

    @Test
    void outputWithoutAGetRowIsRefusedWithTheOutput() {
        assertThatThrownBy(() -> RedisLoad.getsPerSecond("\"SET\",\"1.0\"\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no GET row in redis-benchmark's output:\n\"SET\",\"1.0\"\n");
    }
}
