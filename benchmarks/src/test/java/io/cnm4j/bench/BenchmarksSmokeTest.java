package io.cnm4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every benchmark runs, in this JVM, for one 100 ms iteration and scores: the benchmarks compile,
 * their set-up holds (they throw when the engine does not reach the state they measure, when a
 * DNS packet does not parse or match as built, when a ring record does not decode as written),
 * and JMH's generated code and benchmark list are in place. Scores here mean nothing.
 */
class BenchmarksSmokeTest {

    @ParameterizedTest
    @ValueSource(classes = {IngestionBenchmark.class, DeltaBenchmark.class, JsonBenchmark.class, DnsBenchmark.class,
            RingRecordDecodeBenchmark.class})
    void everyBenchmarkOfTheClassRunsAndScores(Class<?> benchmark) throws RunnerException {
        // given: one short iteration per benchmark, with the smaller sizes
        Options options = new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .param("activeConnections", "10000")
                .param("closedBufferSize", "1024")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        // when
        Collection<RunResult> results = new Runner(options).run();

        // then
        List<String> benchmarkMethods = Arrays.stream(benchmark.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Benchmark.class))
                .map(m -> benchmark.getName() + "." + m.getName())
                .toList();
        assertThat(results).map(result -> result.getParams().getBenchmark())
                .containsAll(benchmarkMethods)
                .allMatch(benchmarkMethods::contains);
        assertThat(results).allSatisfy(result -> assertThat(result.getPrimaryResult().getScore())
                .as(result.getParams().getBenchmark() + " " + result.getParams())
                .isPositive());
    }
}
