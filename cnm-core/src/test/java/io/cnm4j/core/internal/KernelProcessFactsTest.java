package io.cnm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Direction;
import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.spi.ConnectionEvent;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The process name and cgroup id the kernel captures travel from events to the enricher, for free. */
class KernelProcessFactsTest {
    @Test
    void nameIsTakenFromTheFirstEventThatHasOneAndReachesTheEnricher() {
        ConnectionStateEngine engine = new ConnectionStateEngine(MonitorConfig.defaults());
        engine.registerClient("c", false, 0);
        ConnectionEvent event = TestEvents.open(1, 10);
        engine.apply(event);
        // the kernel's comm arrives NUL-padded in the 16-byte buffer
        byte[] kernelComm = "nginx\0\0\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(kernelComm, 0, event.commBytes(), 0, 16);
        engine.apply(event.commWritten().cgroupId(77).bytesSent(20));
        engine.apply(event.comm("renamed").cgroupId(78).bytesSent(30));
        List<String> seen = new ArrayList<>();

        Enricher recordsProcessFacts = new Enricher() {
            @Override
            public Map<String, String> tags(ConnectionKey key, Direction direction, String processName, long cgroupId,
                    List<String> dnsNames) {
                seen.add(processName + "@" + cgroupId);
                return Map.of();
            }
        };

        List<ConnectionStats> read = engine.read("c", 0, recordsProcessFacts);

        assertThat(read).singleElement().satisfies(c -> assertThat(c.last().bytesSent()).isEqualTo(30));
        assertThat(seen).containsExactly("nginx@77");
    }

    @Test
    void commIsTruncatedToSixteenBytesAndResetClearsIt() {
        ConnectionEvent event = new ConnectionEvent().comm("a-process-name-longer-than-16").cgroupId(5);

        assertThat(event.commLength()).isEqualTo(16);
        assertThat(event.commEquals("a-process-name-l".getBytes(StandardCharsets.UTF_8), 16)).isTrue();
        assertThat(new ConnectionEvent().copyFrom(event).cgroupId()).isEqualTo(5);
        event.reset();
        assertThat(event.commLength()).isZero();
        assertThat(event.cgroupId()).isZero();
    }

    @Test
    void applyingEventsWithProcessFactsToAKnownFlowAllocatesNothing() {
        ConnectionStateEngine engine = new ConnectionStateEngine(MonitorConfig.defaults());
        ConnectionEvent event = TestEvents.open(1, 0).comm("curl").cgroupId(4242);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        for (int i = 0; i < 200_000; i++) {
            engine.apply(event.bytesSent(i));
        }

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 200_000; i++) {
            engine.apply(event.bytesSent(200_000 + i));
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // well under one byte per event: nothing is allocated per event
        assertThat(allocated).isLessThan(64 * 1024);
    }
}
