package io.cnm4j.examples.otel;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP/HTTP metrics receiver for tests: a JDK HTTP server on loopback that decodes every
 * request body as the official {@code ExportMetricsServiceRequest} protobuf message.
 */
public final class OtlpReceiver implements AutoCloseable {
    /**
     * One sum data point, flattened.
     *
     * @param metric metric name
     * @param unit metric unit
     * @param temporality the sum's aggregation temporality
     * @param monotonic whether the sum is monotonic
     * @param attributes the point's attributes, sorted, values as Java strings or longs
     * @param value the point's value
     */
    public record Point(String metric, String unit, String temporality, boolean monotonic, Map<String, Object> attributes, long value) {
    }

    private final HttpServer server;
    private final BlockingQueue<ExportMetricsServiceRequest> requests = new LinkedBlockingQueue<>();

    public OtlpReceiver() throws IOException {
        this(200);
    }

    /** A receiver that answers every request with {@code status} (400: a rejection not worth retrying). */
    public OtlpReceiver(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/metrics", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                requests.add(ExportMetricsServiceRequest.parseFrom(body));
            }
            byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(status, response.length == 0 ? -1 : response.length);
            exchange.getResponseBody().write(response);
            exchange.close();
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/metrics";
    }

    /** The next request, waiting up to 20 s. */
    public ExportMetricsServiceRequest next() throws InterruptedException {
        ExportMetricsServiceRequest request = requests.poll(20, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no OTLP request within 20 s");
        }
        return request;
    }

    /** The requests received and not yet taken. */
    public int pending() {
        return requests.size();
    }

    /** Every sum data point of a request. */
    public static List<Point> points(ExportMetricsServiceRequest request) {
        List<Point> points = new ArrayList<>();
        request.getResourceMetricsList().forEach(resource -> resource.getScopeMetricsList().forEach(scope -> {
            for (Metric metric : scope.getMetricsList()) {
                for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
                    points.add(new Point(metric.getName(), metric.getUnit(),
                            metric.getSum().getAggregationTemporality().name(), metric.getSum().getIsMonotonic(),
                            attributes(point.getAttributesList()), point.getAsInt()));
                }
            }
        }));
        return points;
    }

    /** The resource attributes of a request's first resource. */
    public static Map<String, Object> resource(ExportMetricsServiceRequest request) {
        return attributes(request.getResourceMetrics(0).getResource().getAttributesList());
    }

    private static Map<String, Object> attributes(List<KeyValue> keyValues) {
        Map<String, Object> attributes = new TreeMap<>();
        for (KeyValue kv : keyValues) {
            AnyValue value = kv.getValue();
            attributes.put(kv.getKey(), value.hasIntValue() ? (Object) value.getIntValue() : value.getStringValue());
        }
        return attributes;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
