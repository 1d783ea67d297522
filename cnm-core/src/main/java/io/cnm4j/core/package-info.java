/**
 * The cnm4j API: {@link io.cnm4j.core.NetworkMonitor} (built with its builder, started, closed)
 * and what it hands out — {@link io.cnm4j.core.FlowSnapshot}, {@link io.cnm4j.core.ConnectionStats},
 * {@link io.cnm4j.core.DnsStats}, {@link io.cnm4j.core.Telemetry} (each counter declared once as a
 * {@link io.cnm4j.core.TelemetryCounter}, the monitor's in {@link io.cnm4j.core.MonitorCounters}),
 * {@link io.cnm4j.core.Capabilities} — and what users implement: {@link io.cnm4j.core.FlowListener} and {@link io.cnm4j.core.Tagger}.
 *
 * <p>Threads: the monitor's methods are thread-safe; it runs one collector thread
 * ({@code cnm4j-collector}) and one thread per listener ({@code cnm4j-listener-<n>}), so a
 * listener is called on its own thread, one snapshot at a time. Ownership: value types are
 * immutable and their collections unmodifiable, so a snapshot may be kept and shared; the monitor
 * owns its backend and every native resource behind it, and frees them in
 * {@link io.cnm4j.core.NetworkMonitor#close()}. API: every public type here.
 */
package io.cnm4j.core;
