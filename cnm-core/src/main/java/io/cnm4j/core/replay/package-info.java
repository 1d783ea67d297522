/**
 * {@link io.cnm4j.core.replay.ReplayBackendProvider}: provides a backend that replays recorded
 * JSON-lines events, so that collectors can be tested without a kernel. API: pass it to
 * {@code NetworkMonitor.builder().backend(…)}.
 *
 * <p>Threads: the monitor calls the backend from its collector thread and from polling clients,
 * under its lock. Ownership: the backend holds the recorded lines (read once from a file or given
 * as a list) and no native resource.
 */
package io.cnm4j.core.replay;
