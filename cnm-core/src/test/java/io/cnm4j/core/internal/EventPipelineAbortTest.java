package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.spi.ConnectionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPipelineAbortTest {
    private static final int CAPACITY = 8;

    @Test
    void abortedClaimReturnsTheEventSoThePoolDoesNotShrink() {
        EventPipeline pipeline = new EventPipeline(CAPACITY);

        // given a producer that claims and then fails, once for every slot and once more
        for (int i = 0; i < CAPACITY + 1; i++) {
            ConnectionEvent event = pipeline.claim();
            assertThat(event).isNotNull();
            event.flowId(1000 + i);
            pipeline.abort(event);
        }
        // then the whole capacity is still available, and nothing aborted was published
        List<ConnectionEvent> claimed = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++) {
            claimed.add(pipeline.claim());
        }
        assertThat(claimed).doesNotContainNull().allSatisfy(e -> assertThat(e.flowId()).isZero());
        assertThat(pipeline.claim()).isNull();
        assertThat(pipeline.dropped()).isEqualTo(1);
        assertThat(pipeline.queued()).isZero();
    }
}
