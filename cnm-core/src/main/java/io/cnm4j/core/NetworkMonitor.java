package io.cnm4j.core;

import io.cnm4j.core.internal.BackendSelection;
import io.cnm4j.core.internal.ConnectionStateEngine;
import io.cnm4j.core.internal.DisabledBackend;
import io.cnm4j.core.internal.EventPipeline;
import io.cnm4j.core.internal.ListenerDispatcher;
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
    private final EventPipeline pipeline;
    private final EventPipeline.Drainer drainer;
    private final ActiveConnectionConsumer activeConsumer;
    private final ConnectionStateEngine engine;
    private final FlowBackend backend;
    private final String backendName;
    private final Capabilities capabilities;
    private final ReentrantLock lock = new ReentrantLock();
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
        if (config.enabled()) {
            OpenedBackend opened = openBackend(config, builder.providers, pipeline);
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
     * unless the configuration names the backend.
     */
    private static OpenedBackend openBackend(MonitorConfig config, List<FlowBackendProvider> providers,
            EventPipeline pipeline) {
        Map<String, String> failedToOpen = new LinkedHashMap<>();
        while (true) {
            BackendSelection selection = BackendSelection.select(config, providers, failedToOpen);
            FlowBackendProvider provider = selection.chosen();
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
     */
    public void addListener(FlowListener listener) {
        Objects.requireNonNull(listener, "listener");
        String clientId = "listener-" + listenerIds.incrementAndGet();
        lock.lock();
        try {
            engine.registerClient(clientId, true, System.nanoTime());
            listeners.add(new ListenerDispatcher(listener, clientId, listenerFailures));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a push consumer added with {@link #addListener}.
     *
     * @param listener a listener added before
     */
    public void removeListener(FlowListener listener) {
        for (ListenerDispatcher dispatcher : listeners) {
            if (dispatcher.listener() == listener) {
                listeners.remove(dispatcher);
                dispatcher.shutdown();
                lock.lock();
                try {
                    engine.unregisterClient(dispatcher.clientId());
                } finally {
                    lock.unlock();
                }
            }
        }
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
        counters.put(Telemetry.QUEUE_DROPPED, pipeline.dropped());
        counters.putAll(engine.counters());
        counters.put(Telemetry.LISTENER_FAILURES, listenerFailures.get());
        counters.put(Telemetry.LISTENER_SKIPPED_INTERVALS, listenerSkips.get());
        collector.putCounters(counters);
        counters.putAll(backend.telemetry());
        for (ListenerDispatcher dispatcher : listeners) {
            counters.putAll(dispatcher.listener().telemetry());
        }
        for (Tagger tagger : taggers) {
            counters.putAll(tagger.telemetry());
        }
        return Telemetry.of(counters);
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
        List<ConnectionStats> connections = needsEnrichment()
                ? engine.read(clientId, System.nanoTime(), this::enrich)
                : engine.read(clientId, System.nanoTime());
        List<DnsStats> dns = engine.takeDnsStats(clientId);
        Telemetry telemetry = engine.telemetryDelta(clientId, totalsLocked());
        return new FlowSnapshot(Instant.now(), backendName, connections, dns, telemetry);
    }

    private boolean needsEnrichment() {
        return !taggers.isEmpty() || capabilities.has(Feature.DNS) || capabilities.has(Feature.NAT);
    }

    private ConnectionStats enrich(ConnectionStats c, String processName, long cgroupId) {
        List<String> names = backend.dnsNames(c.key().remoteAddress());
        Map<String, String> tags = c.tags();
        if (!taggers.isEmpty()) {
            FlowIdentity identity = new FlowIdentity(c.key(), c.direction(), processName, cgroupId, names);
            tags = new HashMap<>(tags);
            for (Tagger tagger : taggers) {
                tags.putAll(tagger.tags(identity));
            }
        }
        NatTranslation nat = c.nat() != null ? c.nat() : backend.nat(c.key());
        return c.withEnrichment(names, tags, nat);
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
                return snapshotLocked(id);
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
