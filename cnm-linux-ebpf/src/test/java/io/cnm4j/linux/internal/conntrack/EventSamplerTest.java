package io.cnm4j.linux.internal.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventSamplerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theFirstWindowKeepsExactlyTheLimit() {
        EventSampler sampler = new EventSampler(500, 1);

        int kept = keep(sampler, 0, 2_000);

        assertThat(kept).isEqualTo(500);
    }

    @Test
    void afterABusyWindowEventsAreSampledAndNeverAboveTheLimit() {
        EventSampler sampler = new EventSampler(500, 1);
        keep(sampler, 0, 2_000);

        int kept = keep(sampler, SECOND, 2_000);

        // probability 500/2000 over 2,000 events: about 500, never above the limit
        assertThat(kept).isBetween(400, 500);
    }

    @Test
    void aQuietWindowKeepsEverything() {
        EventSampler sampler = new EventSampler(500, 1);
        keep(sampler, 0, 2_000);

        assertThat(keep(sampler, 5 * SECOND, 300)).isEqualTo(300);
    }

    private static int keep(EventSampler sampler, long at, int events) {
        int kept = 0;
        for (int i = 0; i < events; i++) {
            if (sampler.keep(at + i)) {
                kept++;
            }
        }
        return kept;
    }
}
