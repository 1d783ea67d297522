package io.cnm4j.bench.load;

import io.cnm4j.core.CounterKind;
import io.cnm4j.core.Telemetry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one capture reported about the storm on one server port: closed connections seen from the
 * client side (remote port = server port) and from the server side (local port = server port),
 * and the loss it counted meanwhile (any flow, any port: loss counters are not per port).
 * Written by the capture's thread, read by the harness.
 */
final class StormTally {
    private volatile int serverPort = -1;
    private final AtomicLong clientSide = new AtomicLong();
    private final AtomicLong serverSide = new AtomicLong();
    private final Map<String, Long> loss = new ConcurrentHashMap<>();

    /** Starts counting from zero for a storm whose server listens on {@code port}. */
    void expect(int port) {
        serverPort = port;
        clientSide.set(0);
        serverSide.set(0);
        loss.clear();
    }

    /** A delivered TCP flow with {@code closed} closes (several sockets may share one tuple). */
    void closed(int localPort, int remotePort, long closed) {
        int port = serverPort;
        if (closed == 0 || port < 0) {
            return;
        }
        if (remotePort == port) {
            clientSide.addAndGet(closed);
        } else if (localPort == port) {
            serverSide.addAndGet(closed);
        }
    }

    /** Adds every loss counter of one interval's telemetry (the library's definition of loss). */
    void lost(Telemetry interval) {
        interval.ofKind(CounterKind.LOSS).forEach(this::lost);
    }

    void lost(String counter, long count) {
        loss.merge(counter, count, Long::sum);
    }

    long clientSide() {
        return clientSide.get();
    }

    long serverSide() {
        return serverSide.get();
    }

    long loss() {
        return loss.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The loss by counter name, sorted by name. */
    Map<String, Long> lossByCounter() {
        return new TreeMap<>(loss);
    }
}
