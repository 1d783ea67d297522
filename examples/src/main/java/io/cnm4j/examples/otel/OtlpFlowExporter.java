package io.cnm4j.examples.otel;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.Counters;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.Errno;
import io.cnm4j.core.FlowListener;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.examples.ExporterCounters;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FlowListener} that turns each interval's connection deltas and DNS statistics into
 * OpenTelemetry counters and sends them as OTLP metrics (http/protobuf) through the OpenTelemetry
 * SDK, once per snapshot. Attributes: {@link FlowAttributes}. The resource names the host
 * ({@code host.name}) and {@code service.name=cnm4j}.
 *
 * <p>Temporality is the user's choice: {@link Temporality#DELTA} sends each interval's increase,
 * as the JSON lines do; {@link Temporality#CUMULATIVE} sends totals since the exporter started.
 *
 * <p>Sending is asynchronous (the SDK's exporter thread), so the monitor never waits; an export
 * that fails is counted in {@value #EXPORTS_FAILED}, reported through {@link #telemetry()}.
 * Threads: {@link #onSnapshot} from the monitor's listener thread; owns the SDK, freed by {@link #close()}.
 */
public final class OtlpFlowExporter implements FlowListener, AutoCloseable {
    /** Telemetry counter: OTLP exports that did not succeed (their data points are lost). */
    public static final String EXPORTS_FAILED = "otlp_exports_failed";

    /** How the counters are sent. */
    public enum Temporality { CUMULATIVE, DELTA }

    private final SdkMeterProvider provider;
    private final LongCounter bytes;
    private final LongCounter packets;
    private final LongCounter retransmits;
    private final LongCounter opened;
    private final LongCounter closed;
    private final LongCounter failures;
    private final LongCounter dnsResponses;
    private final LongCounter dnsTimeouts;
    private final AtomicLong exportsFailed = new AtomicLong();

    /**
     * An exporter to {@code endpoint}, such as {@code http://collector:4318/v1/metrics}.
     *
     * @param host the {@code host.name} resource attribute
     */
    public OtlpFlowExporter(String endpoint, String host, Temporality temporality) {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(Duration.ofSeconds(10))
                .setAggregationTemporalitySelector(temporality == Temporality.DELTA
                        ? AggregationTemporalitySelector.deltaPreferred()
                        : AggregationTemporalitySelector.alwaysCumulative())
                .build();
        // Snapshots drive the exports (forceFlush); the periodic reader is only a slow backstop.
        provider = SdkMeterProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), "cnm4j",
                        io.opentelemetry.api.common.AttributeKey.stringKey("host.name"), host))))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                .build();
        Meter meter = provider.get("io.cnm4j");
        bytes = counter(meter, "cnm.connection.bytes", "By", "Application payload bytes, by network.io.direction");
        packets = counter(meter, "cnm.connection.packets", "{packet}", "Segments or datagrams, by network.io.direction");
        retransmits = counter(meter, "cnm.connection.retransmits", "{segment}", "Retransmitted TCP segments");
        opened = counter(meter, "cnm.connection.established", "{connection}", "TCP connections established");
        closed = counter(meter, "cnm.connection.closed", "{connection}", "TCP connections closed");
        failures = counter(meter, "cnm.connection.failures", "{connection}", "Failed connections, by error.type (errno)");
        dnsResponses = counter(meter, "cnm.dns.responses", "{response}", "DNS responses, by cnm.dns.rcode");
        dnsTimeouts = counter(meter, "cnm.dns.timeouts", "{query}", "DNS queries without a response");
    }

    private static LongCounter counter(Meter meter, String name, String unit, String description) {
        return meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
    }

    @Override
    public void onSnapshot(FlowSnapshot snapshot) {
        for (ConnectionStats c : snapshot.connections()) {
            Attributes attributes = FlowAttributes.connection(c);
            Counters d = c.last();
            add(bytes, d.bytesSent(), io(attributes, "transmit"));
            add(bytes, d.bytesReceived(), io(attributes, "receive"));
            add(packets, d.packetsSent(), io(attributes, "transmit"));
            add(packets, d.packetsReceived(), io(attributes, "receive"));
            add(retransmits, d.retransmits(), attributes);
            add(opened, d.tcpEstablished(), attributes);
            add(closed, d.tcpClosed(), attributes);
            c.tcpFailures().forEach((errno, count) -> add(failures, count,
                    attributes.toBuilder().put(FlowAttributes.ERROR_TYPE, errnoName(errno)).build()));
        }
        for (DnsStats d : snapshot.dnsStats()) {
            Attributes attributes = FlowAttributes.dns(d.key());
            d.countsByRcode().forEach((rcode, count) -> add(dnsResponses, count,
                    attributes.toBuilder().put(FlowAttributes.DNS_RCODE, (long) rcode).build()));
            add(dnsTimeouts, d.timeouts(), attributes);
        }
        CompletableResultCode flush = provider.forceFlush();
        flush.whenComplete(() -> {
            if (!flush.isSuccess()) {
                exportsFailed.incrementAndGet();
            }
        });
    }

    private static void add(LongCounter counter, long value, Attributes attributes) {
        // A zero would only create a series that says nothing.
        if (value > 0) {
            counter.add(value, attributes);
        }
    }

    private static Attributes io(Attributes attributes, String direction) {
        return attributes.toBuilder().put(FlowAttributes.IO_DIRECTION, direction).build();
    }

    private static String errnoName(int number) {
        for (Errno errno : Errno.values()) {
            if (errno.number() == number) {
                return errno.name();
            }
        }
        return Integer.toString(number);
    }

    /** {@value #EXPORTS_FAILED} since the exporter was created. */
    @Override
    public Map<String, Long> telemetry() {
        return Map.of(EXPORTS_FAILED, exportsFailed.get());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return ExporterCounters.OTLP;
    }

    /** Sends what was recorded since the last export, then stops the SDK (waits up to 10 s). */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
