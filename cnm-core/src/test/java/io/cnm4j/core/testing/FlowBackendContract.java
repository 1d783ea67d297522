package io.cnm4j.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.ConnectionEvent;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link FlowBackend} keeps, written once and run against each backend (as
 * JCTools runs one sanity suite against every queue): a subclass names the provider and scripts
 * a workload that produces flows with known exact counters.
 */
public abstract class FlowBackendContract {
    private final RecordingEventSink sink = new RecordingEventSink();
    private final List<ConnectionEvent> activeReads = new ArrayList<>();
    private FlowBackend backend;

    /** The provider under test; called once per test. */
    protected abstract FlowBackendProvider provider();

    /**
     * Runs the scripted workload (real traffic, or nothing for a backend that replays a
     * recording) and returns the flows it must produce, each with its exact final counters.
     */
    protected abstract List<ExpectedFlow> runWorkload() throws Exception;

    /** The configuration the backend is opened with. */
    protected MonitorConfig config() {
        return MonitorConfig.defaults();
    }

    /** How long closed events may take to arrive through the backend's own threads. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(10);
    }

    @BeforeEach
    void openBackend() {
        backend = provider().open(new BackendContext(config(), sink));
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void closingTwiceIsHarmless() {
        backend.start();

        backend.close();
        backend.close();

        assertThat(readActive()).isEmpty();
    }

    @Test
    void closingAnUnstartedBackendIsHarmless() {
        backend.close();
        backend.close();

        assertThat(sink.published()).isEmpty();
    }

    @Test
    void nothingIsReportedBeforeStart() throws Exception {
        runWorkload();

        assertThat(readActive()).isEmpty();
        assertThat(sink.published()).isEmpty();
    }

    @Test
    void scriptedWorkloadIsReportedClosedOnceWithExactCounters() throws Exception {
        backend.start();

        List<ExpectedFlow> expected = runWorkload();
        collectUntilClosed(expected);

        assertThat(expected).isNotEmpty();
        for (ExpectedFlow flow : expected) {
            assertThat(closedEvents(flow::matches)).as("closed events of %s", flow).singleElement().satisfies(e -> {
                assertThat(e.bytesSent()).as("bytes sent by %s", flow).isEqualTo(flow.bytesSent());
                assertThat(e.bytesReceived()).as("bytes received by %s", flow).isEqualTo(flow.bytesReceived());
            });
        }
        assertThat(sink.aborted()).isZero();
    }

    @Test
    void liveReportsAgreeWithTheCloseOfTheSameFlow() throws Exception {
        backend.start();

        List<ExpectedFlow> expected = runWorkload();
        collectUntilClosed(expected);

        for (ConnectionEvent closed : closedEvents(e -> expected.stream().anyMatch(f -> f.matches(e)))) {
            List<ConnectionEvent> live = liveEvents().stream().filter(e -> e.flowId() == closed.flowId()).toList();
            for (ConnectionEvent update : live) {
                assertThat(update.protocol()).isEqualTo(closed.protocol());
                assertThat(update.family()).isEqualTo(closed.family());
                assertThat(update.localPort()).isEqualTo(closed.localPort());
                assertThat(update.remotePort()).isEqualTo(closed.remotePort());
                assertThat(update.localAddress()).isEqualTo(closed.localAddress());
                assertThat(update.remoteAddress()).isEqualTo(closed.remoteAddress());
                assertThat(update.bytesSent()).isLessThanOrEqualTo(closed.bytesSent());
                assertThat(update.bytesReceived()).isLessThanOrEqualTo(closed.bytesReceived());
            }
        }
    }

    @Test
    void closeStopsDelivery() throws Exception {
        backend.start();
        backend.close();
        int publishedAtClose = sink.published().size();

        runWorkload();

        assertThat(readActive()).isEmpty();
        assertThat(sink.published()).hasSize(publishedAtClose);
    }

    @Test
    void everyReportedCounterIsDeclaredOnce() throws Exception {
        List<TelemetryCounter> declared = provider().telemetryCounters();
        Set<String> names = declared.stream().map(TelemetryCounter::name).collect(Collectors.toSet());
        assertThat(names).hasSameSizeAs(declared);

        assertThat(names).containsAll(backend.telemetry().keySet());
        backend.start();
        runWorkload();
        readActive();
        assertThat(names).containsAll(backend.telemetry().keySet());
        backend.close();
        assertThat(names).containsAll(backend.telemetry().keySet());
    }

    private List<ConnectionEvent> readActive() {
        List<ConnectionEvent> read = new ArrayList<>();
        backend.readActive(event -> read.add(new ConnectionEvent().copyFrom(event)));
        activeReads.addAll(read);
        return read;
    }

    private void collectUntilClosed(List<ExpectedFlow> expected) throws InterruptedException {
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        while (!expected.stream().allMatch(flow -> !closedEvents(flow::matches).isEmpty())
                && System.nanoTime() - deadline < 0) {
            readActive();
            Thread.sleep(20);
        }
    }

    private List<ConnectionEvent> closedEvents(Predicate<ConnectionEvent> which) {
        return sink.published().stream()
                .filter(e -> e.kind() == ConnectionEvent.Kind.CLOSED && which.test(e))
                .toList();
    }

    /** Live reports, from reads and from the sink (a backend may publish updates too). */
    private List<ConnectionEvent> liveEvents() {
        List<ConnectionEvent> live = new ArrayList<>(activeReads);
        sink.published().stream().filter(e -> e.kind() == ConnectionEvent.Kind.UPDATE).forEach(live::add);
        return live;
    }
}
