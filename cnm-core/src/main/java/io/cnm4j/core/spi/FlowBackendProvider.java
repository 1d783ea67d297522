package io.cnm4j.core.spi;

import io.cnm4j.core.MonitorConfig;
import io.cnm4j.core.TelemetryCounter;
import java.util.List;

/**
 * Discovered through {@link java.util.ServiceLoader}: describes one backend, says whether it
 * can run here and opens it. The monitor opens the available provider with the highest
 * priority (or the one named in {@link MonitorConfig#backend()}) and reports why the others
 * were refused.
 */
public interface FlowBackendProvider {
    /** {@return the backend's short unique name, such as {@code "linux-ebpf"}} */
    String name();

    /** {@return the priority: the highest wins among available providers} */
    int priority();

    /**
     * Whether the backend can run on this host with this configuration; never throws.
     *
     * @param config the monitor's configuration
     * @return available, or unavailable with the reason
     */
    Availability availability(MonitorConfig config);

    /**
     * Opens the backend; it must not capture before {@link FlowBackend#start()}.
     *
     * @param context the monitor's configuration and event sink
     * @return the opened backend, owned by the monitor from now on
     */
    FlowBackend open(BackendContext context);

    /**
     * Every counter the backends this provider opens may report in {@link FlowBackend#telemetry()},
     * each declared once with its kind and meaning; readings under other names are left out.
     *
     * @return the declarations
     */
    List<TelemetryCounter> telemetryCounters();
}
