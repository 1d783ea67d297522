package io.cnm4j.core.internal;

import io.cnm4j.core.ConnectionKey;
import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.Direction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flows of one tuple within one read: counters summed, RTT averaged over the flows that have
 * one, failures counted by errno, closed only when every flow is closed.
 */
final class FlowAggregate {
    private ConnectionKey key;
    private Direction direction;
    private long cookie;
    private Counters total;
    private Counters last;
    private long rttSum;
    private long rttVarSum;
    private int rttCount;
    private Map<Integer, Long> failures;
    private long startNanos = Long.MAX_VALUE;
    private long lastUpdateNanos = Long.MIN_VALUE;
    private boolean allClosed = true;
    private String processName = "";
    private long cgroupId;

    void add(TrackedFlow flow, Counters delta) {
        key = flow.key;
        direction = flow.direction;
        if (flow.lastUpdateEpochNanos >= lastUpdateNanos) {
            cookie = flow.cookie;
        }
        // one flow per tuple is the common case: take its counters as they are
        total = total == null ? flow.counters() : total.plus(flow.counters());
        last = last == null ? delta : last.plus(delta);
        if (flow.rttMicros != 0) {
            rttSum += flow.rttMicros;
            rttVarSum += flow.rttVarMicros;
            rttCount++;
        }
        if (flow.closed && flow.failureErrno != 0) {
            if (failures == null) {
                failures = new TreeMap<>();
            }
            failures.merge(flow.failureErrno, 1L, Long::sum);
        }
        startNanos = Math.min(startNanos, flow.startEpochNanos);
        lastUpdateNanos = Math.max(lastUpdateNanos, flow.lastUpdateEpochNanos);
        allClosed &= flow.closed;
        if (processName.isEmpty()) {
            processName = flow.processName();
        }
        if (cgroupId == 0) {
            cgroupId = flow.cgroupId;
        }
    }

    /** The kernel's name of the process of the first flow that had one; "" when none had. */
    String processName() {
        return processName;
    }

    /** The cgroup id of the first flow that had one; 0 when none had. */
    long cgroupId() {
        return cgroupId;
    }

    ConnectionStats toStats() {
        return new ConnectionStats(key, direction, cookie, total, last,
                rttCount == 0 ? 0 : rttSum / rttCount, rttCount == 0 ? 0 : rttVarSum / rttCount,
                failures == null ? Map.of() : failures,
                instant(startNanos), instant(Math.max(startNanos, lastUpdateNanos)), allClosed, false, null,
                List.of(), Map.of());
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
