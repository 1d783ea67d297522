package io.cnm4j.linux.internal.conntrack;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.cnm4j.core.internal.ffm.NativeCallException;
import io.cnm4j.linux.internal.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cnm4j-conntrack} thread of a {@link NatResolver}: waits for events on every watched
 * namespace, applies them, dumps a namespace again after its socket overflowed, expires
 * destroyed entries, and enters requested namespaces. Each duty cycle runs inside one catch:
 * a failure is counted and the cycle retried, the thread never dies silently. On exit it
 * closes every namespace's sockets (it is their only user).
 */
final class ConntrackWorker {
    private static final Logger LOG = LoggerFactory.getLogger(ConntrackWorker.class);
    static final long DESTROYED_GRACE_NANOS = 120_000_000_000L;
    /**
     * A namespace no flow was looked up in for this long is closed: its sockets pin it, so a
     * namespace deleted meanwhile would live on (with its interfaces) while they are open.
     */
    private static final long NAMESPACE_IDLE_NANOS = 30_000_000_000L;
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000L;
    /** Short, so that {@link NatResolver#catchUp} returns soon after the events it waits for. */
    private static final int POLL_MILLIS = 20;
    private static final int NAMESPACES_OPENED_PER_CYCLE = 4;
    private static final long FAILURE_BACKOFF_MILLIS = 100;

    private final NatResolver resolver;
    private final Thread thread;
    private volatile boolean running = true;
    /** Completed duty cycles; written by this thread only. */
    private volatile long cycles;
    private int originalNamespaceFd = -1;
    private boolean namespacesBroken;
    private long lastHousekeepingNanos = System.nanoTime();

    ConntrackWorker(NatResolver resolver) {
        this.resolver = resolver;
        this.thread = new Thread(this::run, "cnm4j-conntrack");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long cycles() {
        return cycles;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    void stop() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = Libc.allocateCallState(arena);
            int slots = resolver.settings().maxNamespaces() + 1;
            MemorySegment pollfds = arena.allocate(Libc.POLLFD, slots);
            try {
                // setns moves only this thread; this descriptor brings it back after each visit.
                originalNamespaceFd = Libc.openReadOnly(callState, "/proc/thread-self/ns/net");
            } catch (NativeCallException e) {
                namespacesBroken = true;
                LOG.warn("conntrack of other network namespaces unavailable: {}", e.getMessage());
            }
            boolean failedBefore = false;
            while (running) {
                try {
                    cycle(callState, pollfds);
                } catch (NativeCallException | RuntimeException e) {
                    resolver.counters.workerErrors.incrementAndGet();
                    if (!failedBefore) {
                        LOG.warn("conntrack thread failed, retrying (counted in {}): {}", NatResolver.WORKER_FAILED,
                                e.toString());
                        failedBefore = true;
                    }
                    LOG.debug("conntrack thread failure", e);
                    sleep();
                }
            }
        } finally {
            if (originalNamespaceFd >= 0) {
                Libc.close(originalNamespaceFd);
            }
            resolver.namespaces.values().forEach(ConntrackNamespace::close);
        }
    }

    private void cycle(MemorySegment callState, MemorySegment pollfds) throws NativeCallException {
        long now = System.nanoTime();
        for (int i = 0; i < NAMESPACES_OPENED_PER_CYCLE && !namespacesBroken; i++) {
            NatResolver.NamespaceRequest request = resolver.requests.poll();
            if (request == null) {
                break;
            }
            enter(callState, request);
        }
        List<ConntrackNamespace> watched = new ArrayList<>(resolver.namespaces.values());
        for (ConntrackNamespace namespace : watched) {
            if (namespace.needsDump) {
                if (namespace.dumpedBefore) {
                    resolver.counters.redumps.incrementAndGet();
                }
                namespace.dump(now);
            }
        }
        int count = Math.min(watched.size(), (int) (pollfds.byteSize() / Libc.POLLFD_BYTES));
        for (int i = 0; i < count; i++) {
            long entry = (long) Libc.POLLFD_BYTES * i;
            pollfds.set(JAVA_INT, entry + Libc.POLLFD_FD, watched.get(i).eventDescriptor());
            pollfds.set(JAVA_SHORT, entry + Libc.POLLFD_EVENTS, (short) Libc.POLLIN);
            pollfds.set(JAVA_SHORT, entry + Libc.POLLFD_REVENTS, (short) 0);
        }
        if (Libc.poll(callState, pollfds, count, POLL_MILLIS) > 0) {
            long received = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (pollfds.get(JAVA_SHORT, (long) Libc.POLLFD_BYTES * i + Libc.POLLFD_REVENTS) != 0) {
                    watched.get(i).drainEvents(received);
                }
            }
        }
        if (now - lastHousekeepingNanos >= HOUSEKEEPING_NANOS) {
            lastHousekeepingNanos = now;
            housekeeping(now);
        }
        cycles++;
    }

    private void housekeeping(long now) {
        for (ConntrackNamespace namespace : new ArrayList<>(resolver.namespaces.values())) {
            namespace.table.expire(now);
            if (namespace.inode != resolver.ownInode() && (now - namespace.lastLookupNanos > NAMESPACE_IDLE_NANOS
                    || NetworkNamespaces.inodeOf(namespace.nsFile) != namespace.inode)) {
                // idle, or the process (or bind mount) it was entered through left it: release it
                resolver.namespaces.remove(namespace.inode);
                resolver.retiredEvicted.addAndGet(namespace.table.evicted());
                namespace.close();
                resolver.forget(namespace.inode);
            }
        }
    }

    /** Opens the sockets of a requested namespace from inside it, then returns to the original one. */
    private void enter(MemorySegment callState, NatResolver.NamespaceRequest request) throws NativeCallException {
        if (resolver.namespaces.size() - 1 >= resolver.settings().maxNamespaces()
                || NetworkNamespaces.inodeOf(request.nsFile()) != request.inode()) {
            // bound reached, or the process left (or is not) in that namespace
            resolver.counters.namespacesRefused.incrementAndGet();
            resolver.forget(request.inode());
            return;
        }
        int fd;
        try {
            fd = Libc.openReadOnly(callState, request.nsFile().toString());
        } catch (NativeCallException e) {
            resolver.counters.namespacesRefused.incrementAndGet();
            resolver.forget(request.inode());
            return;
        }
        ConntrackNamespace opened = null;
        try {
            Libc.setns(callState, fd, Libc.CLONE_NEWNET);
            try {
                opened = ConntrackNamespace.open(request.inode(), request.nsFile(), resolver.settings(),
                        resolver.counters);
            } finally {
                returnHome(callState);
            }
        } catch (NativeCallException e) {
            resolver.counters.namespacesRefused.incrementAndGet();
            LOG.debug("cannot watch conntrack of namespace {}: {}", request.inode(), e.getMessage());
            if (opened == null) {
                resolver.forget(request.inode());
            }
        } finally {
            Libc.close(fd);
        }
        if (opened != null) {
            if (namespacesBroken) {
                opened.close();
            } else {
                resolver.namespaces.put(request.inode(), opened);
            }
        }
    }

    private void returnHome(MemorySegment callState) {
        try {
            Libc.setns(callState, originalNamespaceFd, Libc.CLONE_NEWNET);
        } catch (NativeCallException e) {
            // This thread now sits in another namespace: stop entering namespaces rather than
            // open the next sockets in the wrong one.
            namespacesBroken = true;
            LOG.error("conntrack thread could not return to its network namespace; other namespaces are no longer "
                    + "watched: {}", e.getMessage());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(FAILURE_BACKOFF_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
