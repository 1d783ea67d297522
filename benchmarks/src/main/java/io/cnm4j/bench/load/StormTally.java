package io.cnm4j.bench.load;

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
    private final AtomicLong loss = new AtomicLong();

    /** Starts counting from zero for a storm whose server listens on {@code port}. */
    void expect(int port) {
        serverPort = port;
        clientSide.set(0);
        serverSide.set(0);
        loss.set(0);
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

    void lost(long count) {
        loss.addAndGet(count);
    }

    long clientSide() {
        return clientSide.get();
    }

    long serverSide() {
        return serverSide.get();
    }

    long loss() {
        return loss.get();
    }
}
