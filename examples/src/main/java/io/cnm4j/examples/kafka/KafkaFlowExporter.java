package io.cnm4j.examples.kafka;

import io.cnm4j.core.ConnectionStats;
import io.cnm4j.core.DnsStats;
import io.cnm4j.core.FlowJsonWriter;
import io.cnm4j.core.FlowListener;
import io.cnm4j.core.FlowSnapshot;
import io.cnm4j.core.TelemetryCounter;
import io.cnm4j.examples.ExporterCounters;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link FlowListener} that publishes each interval's connection deltas, DNS statistics and
 * telemetry to Kafka, one JSON line (DESIGN.md) per record, keyed by {@link FlowRecordKeys} and
 * stamped with the snapshot's time.
 *
 * <p>It never holds the monitor up: the producer's buffer is bounded and {@code max.block.ms} is 0,
 * so when the broker is unreachable or slow a record is dropped, not waited for. Every dropped
 * record (refused by the full buffer, or failed after {@code delivery.timeout.ms}) is counted in
 * {@value #DROPPED}, which {@link #telemetry()} hands to the monitor for the next snapshot.
 *
 * <p>Threads: {@link #onSnapshot} is called by the monitor from one thread; {@link #telemetry()}
 * from any. Owns its producer: {@link #close()} flushes for up to the given time, then drops.
 */
public final class KafkaFlowExporter implements FlowListener, AutoCloseable {
    /** Telemetry counter: records that never reached the broker. */
    public static final String DROPPED = "kafka_records_dropped";
    /** Telemetry counter: records the broker acknowledged. */
    public static final String SENT = "kafka_records_sent";

    private final Producer<String, byte[]> producer;
    private final ExportTopics topics;
    private final String host;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private final FlowJsonWriter json = FlowJsonWriter.to(line);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();

    private KafkaFlowExporter(Producer<String, byte[]> producer, ExportTopics topics, String host) {
        this.producer = producer;
        this.topics = topics;
        this.host = host;
    }

    /**
     * An exporter to the brokers at {@code bootstrapServers}; {@code overrides} may change any
     * producer setting (for example {@code delivery.timeout.ms}). It waits up to
     * {@code metadataWait} for the topics' metadata, so that the first interval is not dropped
     * for want of it; a broker still unreachable then only means drops until it appears.
     */
    public static KafkaFlowExporter create(String bootstrapServers, ExportTopics topics, String host,
            Map<String, Object> overrides, Duration metadataWait) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "cnm4j-" + host);
        // Idempotence (acks=all) keeps each partition free of duplicates when the producer retries.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        // Bounded: 8 MiB of pending records at most, and a full buffer refuses at once instead of blocking.
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L << 20);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 0);
        config.putAll(overrides);
        KafkaFlowExporter exporter = new KafkaFlowExporter(
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), topics, host);
        exporter.awaitMetadata(metadataWait);
        return exporter;
    }

    @Override
    public void onSnapshot(FlowSnapshot snapshot) {
        Instant ts = snapshot.timestamp();
        for (ConnectionStats c : snapshot.connections()) {
            send(topics.connections(), FlowRecordKeys.connection(host, c.key()), ts, w -> w.writeConnection(c, ts));
        }
        for (DnsStats d : snapshot.dnsStats()) {
            send(topics.dns(), FlowRecordKeys.dns(host, d.key()), ts, w -> w.writeDns(d, ts));
        }
        send(topics.telemetry(), FlowRecordKeys.telemetry(host), ts,
                w -> w.writeTelemetry(snapshot.backend(), snapshot.telemetry(), ts));
    }

    private void send(String topic, String key, Instant ts, Consumer<FlowJsonWriter> write) {
        write.accept(json);
        json.flush();
        // One record is one JSON line without its '\n'.
        byte[] value = Arrays.copyOf(line.toByteArray(), line.size() - 1);
        line.reset();
        try {
            producer.send(new ProducerRecord<>(topic, null, ts.toEpochMilli(), key, value), (metadata, failure) -> {
                if (failure == null) {
                    sent.incrementAndGet();
                } else {
                    dropped.incrementAndGet();
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            // Failures the producer throws instead of reporting to the callback (closed, fatal state).
            dropped.incrementAndGet();
        }
    }

    /** {@value #DROPPED} and {@value #SENT} since the exporter was created. */
    @Override
    public Map<String, Long> telemetry() {
        return Map.of(DROPPED, dropped.get(), SENT, sent.get());
    }

    @Override
    public List<TelemetryCounter> telemetryCounters() {
        return ExporterCounters.KAFKA;
    }

    private void awaitMetadata(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (String topic : List.of(topics.connections(), topics.dns(), topics.telemetry())) {
            // With max.block.ms=0 each call only asks the sender thread for metadata and returns.
            while (!hasMetadata(topic) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(20_000_000L);
            }
        }
    }

    private boolean hasMetadata(String topic) {
        try {
            return !producer.partitionsFor(topic).isEmpty();
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** Sends what is buffered for up to {@code timeout}, then drops (and counts) the rest. */
    public void close(Duration timeout) {
        producer.close(Objects.requireNonNull(timeout, "timeout"));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
