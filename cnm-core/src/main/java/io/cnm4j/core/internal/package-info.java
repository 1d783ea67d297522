/**
 * The engine behind {@link io.cnm4j.core.NetworkMonitor}: the event pipeline, the per-client
 * state and delta engine, listener dispatch, the worker runner, and small helpers (address text,
 * log escaping, keyed hashing). Internal, not API: public only so that the other cnm4j modules and
 * the benchmarks can use it; it may change without notice.
 *
 * <p>Threads: the state engine is confined to the monitor's lock; {@link
 * io.cnm4j.core.internal.EventPipeline} takes events from any producer thread and is drained by the
 * collector alone; other classes state their own confinement. Ownership: each object here belongs
 * to one monitor (or one backend) and holds no native memory.
 */
package io.cnm4j.core.internal;
