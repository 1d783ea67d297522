package io.cnm4j.core;

import io.cnm4j.core.internal.BackendSelection;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.core.internal.DisabledBackend;
import io.cnm4j.core.internal.Enricher;
import io.cnm4j.core.internal.EventPipeline;
import io.cnm4j.core.internal.ListenerDispatcher;
import io.cnm4j.core.internal.TelemetryRegistry;
import io.cnm4j.core.internal.WorkerRunner;
import io.cnm4j.core.spi.ActiveConnectionConsumer;
import io.cnm4j.core.spi.BackendContext;
import io.cnm4j.core.spi.FlowBackend;
import io.cnm4j.core.spi.FlowBackendProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Captures the host's connections through the best available backend and hands them to
 * listeners (push, one {@link FlowSnapshot} per interval) and polling clients (pull).
 *
 * <pre>{@code
 * try (NetworkMonitor monitor = NetworkMonitor.builder().build()) {
 *     monitor.addListener(snapshot -> snapshot.connections().forEach(System.out::println));
 *     monitor.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Threads: backends publish events from their own threads into a bounded lock-free queue;
 * one collector thread applies them and delivers to listeners every interval; each listener
 * runs on its own thread. All public methods are thread-safe. {@link #close()} stops every
 * thread and frees every kernel resource; closing twice is harmless.
 */
public final class NetworkMonitor implements AutoCloseable {
    private static final int DRAIN_BATCH = 4096;
    /** A flow missing from full reads this long lost its close event (the ring buffer polls every 100 ms). */
    private static final long VANISHED_GRACE_NANOS = 5_000_000_000L;
    /** How long the collector parks when the queue was empty and no delivery was due. */
    private static final long COLLECTOR_IDLE_NANOS = 1_000_000L;
    /**
     * Failed collector cycles in a row after which it gives up; a drain that succeeds in between
     * resets the count, so only a persistent fault ends delivery (reported in collector_stopped).
     */
    private static final int COLLECTOR_MAX_CONSECUTIVE_FAILURES = 10;

    private final MonitorConfig config;
    private final List<Tagger> taggers;
    private final Enricher backendEnricher = new BackendEnricher();
    private final EventPipeline pipeline;
    private final EventPipeline.Drainer drainer;
    private final ActiveConnectionConsumer activeConsumer;
    private final ConnectionStateEngine engine;
    private final FlowBackend backend;
    private final String backendName;
    private final Capabilities capabilities;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final TelemetryRegistry telemetryRegistry = new TelemetryRegistry();
    private final List<ListenerDispatcher> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final AtomicLong listenerSkips = new AtomicLong();
    private final AtomicInteger listenerIds = new AtomicInteger();
    private final WorkerRunner collector;
    private volatile boolean running;
    private volatile boolean closed;
    /** Collector thread only: when listeners are next due a snapshot. */
    private long nextDelivery;

    private NetworkMonitor(Builder builder) {
        this.config = builder.config;
        this.taggers = List.copyOf(builder.taggers);
        this.pipeline = new EventPipeline(config.queueCapacity());
        this.engine = new ConnectionStateEngine(config);
        this.drainer = pipeline.drainer(engine::apply);
        this.activeConsumer = engine::apply;
        this.collector = new WorkerRunner("collector", COLLECTOR_IDLE_NANOS, COLLECTOR_MAX_CONSECUTIVE_FAILURES,
                this::collectCycle);
        // Declarations first: a conflict then fails the build before any backend holds resources.
        for (Tagger tagger : taggers) {
            telemetryRegistry.declare("tagger " + tagger.getClass().getName(), tagger.telemetryCounters());
        }
        if (config.enabled()) {
            OpenedBackend opened = openBackend(config, builder.providers, pipeline, telemetryRegistry);
            this.backend = opened.backend();
            this.backendName = opened.name();
            this.capabilities = opened.capabilities();
        } else {
            this.backend = new DisabledBackend();
            this.backendName = DisabledBackend.NAME;
            this.capabilities = new Capabilities(backendName, backend.features(), Map.of());
        }
    }

    private record OpenedBackend(FlowBackend backend, String name, Capabilities capabilities) {
    }

    /**
     * Opens the best available backend; one that passes its checks but fails to open (the kernel's
     * verifier refusing its programs, say) is refused with its reason and the next one is tried,
     * unless the configuration names the backend. The chosen provider's counters are declared
     * before it opens.
     */
    private static OpenedBackend openBackend(MonitorConfig config, List<FlowBackendProvider> providers,
            EventPipeline pipeline, TelemetryRegistry telemetryRegistry) {
        Map<String, String> failedToOpen = new LinkedHashMap<>();
        while (true) {
            BackendSelection selection = BackendSelection.select(config, providers, failedToOpen);
            FlowBackendProvider provider = selection.chosen();
            telemetryRegistry.declare("backend " + provider.name(), provider.telemetryCounters());
            try {
                FlowBackend backend = provider.open(new BackendContext(config, pipeline));
                return new OpenedBackend(backend, provider.name(), new Capabilities(provider.name(),
                        backend.features(), selection.refused(), backend.provenance()));
            } catch (BackendUnavailableException e) {
                if (!config.backend().isEmpty()) {
                    throw e;
                }
                failedToOpen.put(provider.name(), e.reasons().getOrDefault(provider.name(), e.getMessage()));
            }
        }
    }

    /**
     * A builder with the default configuration and backend discovery.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts capture and listener delivery; calling it twice is harmless. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("monitor is closed");
        }
        if (running || !config.enabled()) {
            return;
        }
        backend.start();
        running = true;
        nextDelivery = System.nanoTime() + config.interval().toNanos();
        collector.start();
    }

    /**
     * Adds a push consumer; it receives its first snapshot at the next interval.
     *
     * @param listener the listener; called on a thread of its own
     * @throws IllegalArgumentException when the listener declares a counter name already
     *         declared with another kind or meaning
     */
    public void addListener(FlowListener listener) {
        Objects.requireNonNull(listener, "listener");
        String clientId = "listener-" + listenerIds.incrementAndGet();
        lock.lock();
        try {
            telemetryRegistry.declare("listener " + listener.getClass().getName(), listener.telemetryCounters());
            engine.registerClient(clientId, true, System.nanoTime());
            listeners.add(new ListenerDispatcher(listener, clientId, listenerFailures));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a push consumer added with {@link #addListener}. Safe at any time, even from a
     * listener, a tagger or a backend during a delivery: the other listeners still get their snapshot.
     *
     * @param listener a listener added before
     */
    public void removeListener(FlowListener listener) {
        List<ListenerDispatcher> removed = new ArrayList<>();
        lock.lock();
        try {
            // Retired and unregistered under the lock, so a delivery pass never meets half of a removal.
            for (ListenerDispatcher dispatcher : listeners) {
                if (dispatcher.listener() == listener) {
                    dispatcher.retire();
                    listeners.remove(dispatcher);
                    engine.unregisterClient(dispatcher.clientId());
                    removed.add(dispatcher);
                }
            }
        } finally {
            lock.unlock();
        }
        // Outside the lock: waiting for the listener's running call must not hold up collection.
        removed.forEach(ListenerDispatcher::shutdown);
    }

    /**
     * Registers a polling consumer. Closed connections are kept for it from now on until it
     * polls. Registering an id that is already registered returns a handle to the same state.
     *
     * @param id a name unique among this monitor's clients
     * @return the client, to poll from now on
     */
    public FlowClient registerClient(String id) {
        Objects.requireNonNull(id, "id");
        if (id.startsWith("listener-")) {
            throw new IllegalArgumentException("client ids starting with 'listener-' are reserved: " + id);
        }
        lock.lock();
        try {
            engine.registerClient(id, false, System.nanoTime());
        } finally {
            lock.unlock();
        }
        return new PollingClient(id);
    }

    /** {@return the backend in use, each feature with its status, and why other backends were refused} */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** {@return the configuration in use} */
    public MonitorConfig config() {
        return config;
    }

    /** {@return every loss and health counter, as totals since the monitor was built} */
    public Telemetry telemetry() {
        lock.lock();
        try {
            return totalsLocked();
        } finally {
            lock.unlock();
        }
    }

    private Telemetry totalsLocked() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(MonitorCounters.QUEUE_DROPPED.name(), pipeline.dropped());
        counters.putAll(engine.counters());
        counters.put(MonitorCounters.LISTENER_FAILURES.name(), listenerFailures.get());
        counters.put(MonitorCounters.LISTENER_SKIPPED_INTERVALS.name(), listenerSkips.get());
        collector.putCounters(counters);
        counters.putAll(backend.telemetry());
        for (ListenerDispatcher dispatcher : listeners) {
            counters.putAll(dispatcher.listener().telemetry());
        }
        for (Tagger tagger : taggers) {
            counters.putAll(tagger.telemetry());
        }
        return telemetryRegistry.totals(counters);
    }

    /** One collector cycle: apply queued events, and deliver to listeners when an interval ended. */
    private int collectCycle() {
        int applied;
        lock.lock();
        try {
            applied = drainer.drain(DRAIN_BATCH);
        } finally {
            lock.unlock();
        }
        long now = System.nanoTime();
        if (now - nextDelivery < 0) {
            return applied;
        }
        // Advanced first, so that a failing delivery is retried at the next interval, not every cycle.
        nextDelivery = Math.max(nextDelivery + config.interval().toNanos(), now);
        if (listeners.isEmpty()) {
            // without listeners, collecting would only advance state that pollers read themselves
            return applied;
        }
        deliverToListeners();
        return applied + 1;
    }

    private void deliverToListeners() {
        lock.lock();
        try {
            collectLocked();
            for (ListenerDispatcher dispatcher : listeners) {
                if (dispatcher.isRetired()) {
                    continue;
                }
                if (dispatcher.isIdle()) {
                    dispatcher.deliver(snapshotLocked(dispatcher.clientId()));
                } else {
                    listenerSkips.incrementAndGet();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void collectLocked() {
        long now = System.nanoTime();
        engine.beginRefresh(now);
        backend.readActive(activeConsumer);
        while (drainer.drain(DRAIN_BATCH) > 0) {
            // keep draining: closed events published before this point belong to this interval
        }
        if (backend.readsAllActive()) {
            engine.closeVanished(now, VANISHED_GRACE_NANOS);
        }
        engine.addDnsStats(backend.drainDnsStats());
        engine.expireClients(System.nanoTime());
    }

    private FlowSnapshot snapshotLocked(String clientId) {
        List<ConnectionStats> connections = engine.read(clientId, System.nanoTime(), enricher());
        return snapshotLocked(clientId, connections);
    }

    private FlowSnapshot snapshotLocked(String clientId, List<ConnectionStats> connections) {
        List<DnsStats> dns = engine.takeDnsStats(clientId);
        Telemetry telemetry = engine.telemetryDelta(clientId, totalsLocked());
        return new FlowSnapshot(Instant.now(), backendName, connections, dns, telemetry);
    }

    private Enricher enricher() {
        boolean needed = !taggers.isEmpty() || capabilities.has(Feature.DNS) || capabilities.has(Feature.NAT);
        return needed ? backendEnricher : Enricher.NONE;
    }

    /** DNS names and NAT from the backend, tags from the taggers in order (later ones override equal keys). */
    private final class BackendEnricher implements Enricher {
        @Override
        public List<String> dnsNames(ConnectionKey key) {
            return backend.dnsNames(key.remoteAddress());
        }

        @Override
        public Map<String, String> tags(ConnectionKey key, Direction direction, String processName, long cgroupId,
                List<String> dnsNames) {
            if (taggers.isEmpty()) {
                return Map.of();
            }
            FlowIdentity identity = new FlowIdentity(key, direction, processName, cgroupId, dnsNames);
            Map<String, String> tags = new HashMap<>();
            for (Tagger tagger : taggers) {
                tags.putAll(tagger.tags(identity));
            }
            return tags;
        }

        @Override
        public NatTranslation nat(ConnectionKey key) {
            return backend.nat(key);
        }
    }

    /** Stops capture and delivery and frees every kernel resource; calling it twice is harmless. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        collector.stop(5_000);
        // Retired under the lock that delivery holds: a collector still running after the stop's
        // timeout cannot hand a snapshot to a listener thread that is shutting down.
        lock.lock();
        try {
            listeners.forEach(ListenerDispatcher::retire);
        } finally {
            lock.unlock();
        }
        listeners.forEach(ListenerDispatcher::shutdown);
        listeners.clear();
        backend.close();
    }

    private final class PollingClient implements FlowClient {
        private final String id;

        PollingClient(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public FlowSnapshot poll() {
            if (closed) {
                throw new IllegalStateException("monitor is closed");
            }
            lock.lock();
            try {
                collectLocked();
                // An expired client is registered again, as Datadog's system-probe does: this poll
                // then reports every active connection in full, like a first poll.
                engine.registerClient(id, false, System.nanoTime());
                return snapshotLocked(id);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public FlowSnapshot poll(ConnectionVisitor visitor) {
            Objects.requireNonNull(visitor, "visitor");
            if (closed) {
                throw new IllegalStateException("monitor is closed");
            }
            lock.lock();
            try {
                collectLocked();
                engine.read(id, System.nanoTime(), enricher(), visitor);
                return snapshotLocked(id, List.of());
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                engine.unregisterClient(id);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Configures a {@link NetworkMonitor}; not thread-safe. */
    public static final class Builder {
        private MonitorConfig config = MonitorConfig.defaults();
        private final List<FlowBackendProvider> providers = new ArrayList<>();
        private final List<Tagger> taggers = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the configuration (default: {@link MonitorConfig#defaults()}).
         *
         * @param value the configuration
         * @return this builder
         */
        public Builder config(MonitorConfig value) {
            config = Objects.requireNonNull(value, "config");
            return this;
        }

        /**
         * Uses this backend instead of discovering installed ones (for example a replay
         * backend in tests). May be called several times; the best available one is chosen.
         *
         * @param provider uses this backend instead of discovering installed ones (for example a replay backend in tests)
         * @return this builder
         */
        public Builder backend(FlowBackendProvider provider) {
            providers.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Adds taggers, applied in order (later ones override equal keys).
         *
         * @param values adds taggers, applied in order (later ones override equal keys)
         * @return this builder
         */
        public Builder taggers(Tagger... values) {
            taggers.addAll(List.of(values));
            return this;
        }

        /**
         * Selects and opens the backend (capture starts with {@link NetworkMonitor#start()}).
         *
         * @throws BackendUnavailableException when no backend can run here, with each reason
         *
         * @return the new NetworkMonitor
         */
        public NetworkMonitor build() {
            return new NetworkMonitor(this);
        }
    }
}
