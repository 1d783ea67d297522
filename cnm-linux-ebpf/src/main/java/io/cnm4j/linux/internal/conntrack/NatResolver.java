package io.cnm4j.linux.internal.conntrack;

import io.cnm4j.core.FeatureStatus;
import io.cnm4j.core.NatTranslation;
import io.cnm4j.core.Protocol;
import io.cnm4j.core.internal.ffm.LinuxErrno;
import io.cnm4j.core.internal.ffm.NativeCallException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT resolution through netlink conntrack, for any backend: the translated entries of the
 * monitor's own network namespace, and of the namespaces of tracked flows, entered on demand.
 * {@link #lookup} answers whether a flow was translated and into what.
 *
 * <p>Threads: {@link #lookup}, {@link #status} and {@link #telemetry} are thread-safe (the
 * collecting thread calls them); one thread, {@code cnm4j-conntrack}, reads events, dumps and
 * enters namespaces ({@link ConntrackWorker}). Owns every socket; {@link #close()} stops the
 * thread, which closes them, and is idempotent.
 */
final class NatResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatResolver.class);
    private static final Path CONNTRACK_SYSCTL = Path.of("/proc/sys/net/netfilter/nf_conntrack_max");
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int MAX_REFUSED_REMEMBERED = 4096;
    private static final long FIRST_NAMESPACE_WAIT_NANOS = 250_000_000L;
    private static final long CATCH_UP_NANOS = 100_000_000L;

    /** Telemetry names, declared with their kinds in {@code LinuxCounters.CONNTRACK}. */
    public static final String EVENTS = "conntrack_events";
    public static final String DUMPED = "conntrack_dumped";
    public static final String REDUMPS = "conntrack_redumps";
    public static final String EVICTED = "conntrack_evicted_dropped";
    public static final String SAMPLED = "conntrack_sampled_dropped";
    public static final String OVERRUNS = "conntrack_overrun_dropped";
    public static final String MALFORMED = "conntrack_malformed_dropped";
    public static final String NAMESPACES_FAILED = "conntrack_namespace_failed";
    public static final String WORKER_FAILED = "conntrack_worker_failed";

    private final NatSettings settings;
    private final FeatureStatus status;
    private final long ownInode;
    private final ConntrackNamespace own;
    final ConntrackCounters counters;
    final Map<Long, ConntrackNamespace> namespaces = new ConcurrentHashMap<>();
    private final Set<Long> requested = ConcurrentHashMap.newKeySet();
    final BlockingQueue<NamespaceRequest> requests;
    /** Evictions and expiries of namespaces already closed, so totals never go back. */
    final AtomicLong retiredEvicted = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private ConntrackWorker worker;

    /** A namespace to watch, reached through a process that lives in it. */
    record NamespaceRequest(long inode, Path nsFile) {
    }

    private NatResolver(NatSettings settings, FeatureStatus status, long ownInode, ConntrackNamespace own,
            ConntrackCounters counters) {
        this.settings = settings;
        this.status = status;
        this.ownInode = ownInode;
        this.own = own;
        this.counters = counters;
        this.requests = new ArrayBlockingQueue<>(Math.max(1, settings.maxNamespaces()));
        if (own != null) {
            namespaces.put(ownInode, own);
        }
    }

    /**
     * Opens conntrack in this process's network namespace and reads its translated entries;
     * never throws: when conntrack cannot be read, NAT is off with the reason in {@link #status()}.
     *
     * @param enabled {@code conntrack_enabled}: when false nothing is opened
     */
    public static NatResolver open(boolean enabled, NatSettings settings) {
        return open(enabled, settings, CONNTRACK_SYSCTL);
    }

    /** As {@link #open(boolean, NatSettings)}, with the file whose absence means nf_conntrack is not loaded. */
    static NatResolver open(boolean enabled, NatSettings settings, Path conntrackSysctl) {
        ConntrackCounters counters = new ConntrackCounters();
        long ownInode = NetworkNamespaces.own();
        if (!enabled) {
            return off(settings, ownInode, counters, "conntrack_enabled is false: NAT is not resolved");
        }
        if (!Files.exists(conntrackSysctl)) {
            return off(settings, ownInode, counters,
                    "nf_conntrack is not loaded (no " + conntrackSysctl + "): no connection is translated here");
        }
        ConntrackNamespace own = null;
        try {
            own = ConntrackNamespace.open(ownInode, Path.of("/proc/self/ns/net"), settings, counters);
            own.dump(System.nanoTime());
        } catch (NativeCallException e) {
            if (own != null) {
                own.close();
            }
            String why = e.errno() == LinuxErrno.EPERM || e.errno() == LinuxErrno.EACCES
                    ? "reading conntrack needs CAP_NET_ADMIN (" + e.getMessage() + ")"
                    : "conntrack cannot be read through netlink (" + e.getMessage() + ")";
            LOG.debug("NAT resolution off: {}", why); // the reason is in Capabilities
            return off(settings, ownInode, counters, why);
        }
        return new NatResolver(settings, FeatureStatus.on("netlink conntrack: dump, then new/destroy events; "
                + settings.cacheEntries() + " translated entries per namespace at most, "
                + settings.eventsPerSecond() + " events/s before sampling, namespaces of tracked flows entered"
                + " with setns (" + settings.maxNamespaces() + " at most)"), ownInode, own, counters);
    }

    private static NatResolver off(NatSettings settings, long ownInode, ConntrackCounters counters, String why) {
        return new NatResolver(settings, FeatureStatus.off(why), ownInode, null, counters);
    }

    NatSettings settings() {
        return settings;
    }

    long ownInode() {
        return ownInode;
    }

    /** Starts following conntrack events; harmless when NAT is off or already started. */
    public synchronized void start() {
        if (own == null || worker != null || closed.get()) {
            return;
        }
        worker = new ConntrackWorker(this);
        worker.start();
    }

    /**
     * Waits (at most 100 ms) until the conntrack thread has read the events queued before this
     * call, so that connections about to be delivered find the translations of their own
     * packets. Called by the collecting thread before each delivery.
     */
    public void catchUp() {
        ConntrackWorker running;
        synchronized (this) {
            running = worker;
        }
        if (running == null || closed.get() || !running.isAlive()) {
            return;
        }
        long target = running.cycles() + 2; // the cycle under way may have polled before this call
        long deadline = System.nanoTime() + CATCH_UP_NANOS;
        while (running.cycles() < target && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /** Whether NAT is resolved here, and why not. */
    public FeatureStatus status() {
        return status;
    }

    /**
     * The translation of a flow as the application sees it (local → remote), or null when
     * conntrack did not translate it (or NAT is off). A flow of another network namespace is
     * looked up in that namespace, which is watched from then on if {@code pid} lives there
     * (the first lookup in a namespace waits up to 250 ms for it to be entered), and in this
     * process's namespace, where the host's NAT of container traffic happens.
     *
     * @param netns the flow's namespace inode, 0 for this process's own
     * @param pid a process in that namespace, 0 when unknown
     */
    public NatTranslation lookup(Protocol protocol, InetAddress local, int localPort, InetAddress remote,
            int remotePort, long netns, int pid) {
        if (own == null) {
            return null;
        }
        byte[] localBytes = local.getAddress();
        byte[] remoteBytes = remote.getAddress();
        if (localBytes.length != remoteBytes.length) {
            return null;
        }
        TupleKey flow = TupleKey.of(localBytes, remoteBytes, localBytes.length, localPort, remotePort,
                protocol == Protocol.TCP ? IPPROTO_TCP : IPPROTO_UDP);
        if (netns != 0 && netns != ownInode) {
            ConntrackNamespace namespace = namespaces.get(netns);
            if (namespace != null) {
                namespace.lastLookupNanos = System.nanoTime();
                NatTranslation translation = namespace.table.lookup(flow);
                if (translation != null) {
                    return translation;
                }
            } else if (request(netns, pid)) {
                NatTranslation translation = awaitNamespace(netns, flow);
                if (translation != null) {
                    return translation;
                }
            }
        }
        return own.table.lookup(flow);
    }

    /** Asks the conntrack thread to watch a namespace; true when the request was queued. */
    private boolean request(long netns, int pid) {
        if (pid <= 0 || requested.contains(netns) || requested.size() >= MAX_REFUSED_REMEMBERED) {
            return false;
        }
        requested.add(netns);
        if (namespaces.size() - 1 + requests.size() >= settings.maxNamespaces()
                || !requests.offer(new NamespaceRequest(netns, Path.of("/proc", Integer.toString(pid), "ns", "net")))) {
            counters.namespacesRefused.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Waits, once per namespace and briefly, for the conntrack thread to enter it and dump it,
     * so that the first delivery of a new namespace's flows is already translated (a closed
     * flow has no later delivery).
     */
    private NatTranslation awaitNamespace(long netns, TupleKey flow) {
        long deadline = System.nanoTime() + FIRST_NAMESPACE_WAIT_NANOS;
        while (System.nanoTime() - deadline < 0) {
            ConntrackNamespace namespace = namespaces.get(netns);
            if (namespace != null && namespace.dumpedBefore) {
                return namespace.table.lookup(flow);
            }
            LockSupport.parkNanos(1_000_000L);
        }
        return null;
    }

    /**
     * Watches a namespace named by a file ({@code /proc/<pid>/ns/net}, {@code /run/netns/<name>}).
     * The conntrack thread enters it; returns false when the bound is reached.
     */
    boolean watch(long inode, Path nsFile) {
        requested.add(inode);
        return requests.offer(new NamespaceRequest(inode, nsFile));
    }

    /** The request was not fulfilled: the namespace may be asked for again (through another process). */
    void forget(long inode) {
        requested.remove(inode);
    }

    /** Translated entries cached, over every watched namespace. */
    int entries() {
        return namespaces.values().stream().mapToInt(n -> n.table.size()).sum();
    }

    /** Loss and health counters, as totals since open. */
    public Map<String, Long> telemetry() {
        Map<String, Long> values = new LinkedHashMap<>();
        if (own == null) {
            return values;
        }
        long evicted = retiredEvicted.get();
        for (ConntrackNamespace namespace : namespaces.values()) {
            evicted += namespace.table.evicted();
        }
        values.put(EVENTS, counters.events.get());
        values.put(DUMPED, counters.dumped.get());
        values.put(REDUMPS, counters.redumps.get());
        values.put(EVICTED, evicted);
        values.put(SAMPLED, counters.sampledOut.get());
        values.put(OVERRUNS, counters.overruns.get());
        values.put(MALFORMED, counters.rejected.get());
        values.put(NAMESPACES_FAILED, counters.namespacesRefused.get());
        values.put(WORKER_FAILED, counters.workerErrors.get());
        return values;
    }

    /** Stops the conntrack thread and closes every socket; calling it twice is harmless. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ConntrackWorker running;
        synchronized (this) {
            running = worker;
        }
        if (running != null) {
            running.stop();
        } else if (own != null) {
            own.close();
        }
    }
}
