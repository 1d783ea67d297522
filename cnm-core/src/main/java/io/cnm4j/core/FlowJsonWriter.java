package io.cnm4j.core;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.cnm4j.core.internal.AddressText;
import io.cnm4j.core.internal.JsonLineEscapes;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes connections, DNS statistics and telemetry as JSON lines: one JSON object per line,
 * each followed by {@code '\n'}, with the field names and order fixed in DESIGN.md ("JSON lines").
 *
 * <p>Value forms, chosen so that scripts can rely on them:
 * <ul>
 *   <li>{@code ts}: the timestamp passed in (the snapshot's for {@link #writeSnapshot}), as epoch
 *       milliseconds, a JSON number.
 *   <li>Addresses: IPv4 in dotted-quad form; IPv6 in the canonical RFC 5952 form (lower-case hex,
 *       leading zeros dropped, the longest run of two or more zero groups, the first on a tie,
 *       shortened to {@code ::}), never with a scope id ({@code fe80::1%eth0} is written
 *       {@code fe80::1}). An IPv4-mapped {@link java.net.Inet6Address} is written in mixed notation
 *       ({@code ::ffff:1.2.3.4}, RFC 5952 section 5); note that {@link InetAddress#getByName} already
 *       turns the text {@code ::ffff:1.2.3.4} into an {@link java.net.Inet4Address}, which is written
 *       {@code 1.2.3.4}. The {@code family} field is always the connection key's.
 *   <li>{@code cookie}: the kernel's unsigned 64-bit socket cookie as a decimal JSON number
 *       ({@link Long#toUnsignedString(long)}), so it may exceed {@link Long#MAX_VALUE}.
 *   <li>Counters of a connection are its interval deltas ({@link ConnectionStats#last()});
 *       {@code duration_ms} is {@link ConnectionStats#duration()} in milliseconds.
 *   <li>{@code tcp_failures} (by errno) and {@code rcodes} are objects keyed by the decimal number,
 *       sorted by number; {@code tags} is sorted by key ({@link String#compareTo} order); the keys
 *       the cnm-tagging module writes are listed in its {@code io.cnm4j.tagging.TagKeys} and in the
 *       README's Tags section;
 *       {@code dns_names} and telemetry counters keep the order of the model.
 *   <li>DNS percentiles are {@link DnsStats#latencyMicrosAtPercentile} at 50 and 99, that is the
 *       histogram's highest value equivalent to the recorded ones (exact below 256 microseconds).
 * </ul>
 *
 * <p>Every string is made safe for line-oriented consumers: quotes, backslashes and the control
 * characters U+0000..U+001F, U+007F and U+0080..U+009F are escaped, and so are U+2028 and U+2029,
 * as <code>&#92;u2028</code> and <code>&#92;u2029</code> (JavaScript-based readers take them for
 * line ends, as Python's {@code str.splitlines()} does U+0085); lone UTF-16 surrogates, which have no UTF-8
 * encoding, are replaced by U+FFFD. Other characters, including valid surrogate pairs, are written
 * as UTF-8.
 *
 * <p>Output is buffered: {@link #writeSnapshot} flushes once at its end; after the single-line
 * methods call {@link #flush()} when the lines must be visible. Writing to an {@link OutputStream}
 * produces UTF-8; writing to a {@link Writer} produces the same characters, encoded by that writer.
 *
 * <p>Ownership: {@link #to(OutputStream)} and {@link #to(Writer)} borrow their target, and
 * {@link #close()} flushes it but leaves it open (so {@code System.out} survives); {@link #to(Path)}
 * opens a file that this writer owns and closes. Closing twice is harmless.
 *
 * <p>Not thread-safe: use one instance from one thread at a time (a {@link FlowListener} is called
 * from one thread, so {@code monitor.addListener(json::writeSnapshot)} is fine). I/O failures are
 * thrown as {@link UncheckedIOException}; the output may then end in a partial line, so discard
 * the writer.
 */
public final class FlowJsonWriter implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(JsonLineEscapes.lineSafe())
            // Lines are ended explicitly, after each object, rather than separated before the next one.
            .rootValueSeparator((String) null)
            // Non-BMP characters as 4-byte UTF-8, as a Writer target gets them, not as escaped surrogate pairs.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final JsonGenerator generator;
    private final Closeable ownedTarget;
    private boolean closed;

    private FlowJsonWriter(JsonGenerator generator, Closeable ownedTarget) {
        this.generator = generator;
        this.ownedTarget = ownedTarget;
    }

    /**
     * A writer of UTF-8 JSON lines to a stream that the caller keeps owning.
     *
     * @param out the stream, not closed by the writer
     * @return the writer
     */
    public static FlowJsonWriter to(OutputStream out) {
        Objects.requireNonNull(out, "out");
        try {
            return new FlowJsonWriter(FACTORY.createGenerator(out, JsonEncoding.UTF8), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create JSON generator", e);
        }
    }

    /**
     * A writer of JSON lines to a character writer that the caller keeps owning.
     *
     * @param writer the character writer, not closed by this writer
     * @return the writer
     */
    public static FlowJsonWriter to(Writer writer) {
        Objects.requireNonNull(writer, "writer");
        try {
            return new FlowJsonWriter(FACTORY.createGenerator(writer), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create JSON generator", e);
        }
    }

    /**
     * A writer of UTF-8 JSON lines to a file, created or truncated, that {@link #close()} closes.
     *
     * @param file the file
     * @return the writer, which owns the file
     */
    public static FlowJsonWriter to(Path file) {
        Objects.requireNonNull(file, "file");
        OutputStream out = null;
        try {
            out = Files.newOutputStream(file);
            return new FlowJsonWriter(FACTORY.createGenerator(out, JsonEncoding.UTF8), out);
        } catch (IOException e) {
            closeQuietly(out, e);
            throw new UncheckedIOException("cannot open " + file + " for JSON lines", e);
        }
    }

    /**
     * Writes one {@code "type":"conn"} line with the connection's interval deltas: a
     * {@link ConnectionStats}, or a view met during {@link FlowClient#poll(ConnectionVisitor)}.
     *
     * @param c the connection
     * @param ts the line's timestamp
     */
    public void writeConnection(ConnectionView c, Instant ts) {
        Objects.requireNonNull(c, "c");
        Objects.requireNonNull(ts, "ts");
        ensureOpen();
        ConnectionKey key = c.key();
        try {
            generator.writeStartObject();
            writeHeader("conn", ts);
            generator.writeStringField("proto", key.protocol().jsonName());
            generator.writeStringField("family", key.family().jsonName());
            generator.writeStringField("laddr", AddressText.of(key.localAddress()));
            generator.writeNumberField("lport", key.localPort());
            generator.writeStringField("raddr", AddressText.of(key.remoteAddress()));
            generator.writeNumberField("rport", key.remotePort());
            generator.writeStringField("direction", c.direction().jsonName());
            generator.writeNumberField("pid", key.pid());
            generator.writeNumberField("netns", key.netns());
            generator.writeFieldName("cookie");
            writeUnsigned(c.cookie());
            generator.writeNumberField("bytes_sent", c.bytesSent());
            generator.writeNumberField("bytes_recv", c.bytesReceived());
            generator.writeNumberField("packets_sent", c.packetsSent());
            generator.writeNumberField("packets_recv", c.packetsReceived());
            generator.writeNumberField("retransmits", c.retransmits());
            generator.writeNumberField("tcp_established", c.tcpEstablished());
            generator.writeNumberField("tcp_closed", c.tcpClosed());
            generator.writeNumberField("rtt_us", c.rttMicros());
            generator.writeNumberField("rtt_var_us", c.rttVarMicros());
            writeCountsByNumber("tcp_failures", c.tcpFailures());
            generator.writeBooleanField("closed", c.closed());
            generator.writeBooleanField("intra_host", c.intraHost());
            generator.writeNumberField("duration_ms", (c.lastUpdateEpochNanos() - c.startEpochNanos()) / 1_000_000);
            writeNat(c.nat());
            writeStrings("dns_names", c.dnsNames());
            writeSortedTags(c.tags());
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write connection " + key, e);
        }
    }

    /**
     * Writes one {@code "type":"dns"} line.
     *
     * @param d the DNS statistics
     * @param ts the line's timestamp
     */
    public void writeDns(DnsStats d, Instant ts) {
        Objects.requireNonNull(d, "d");
        Objects.requireNonNull(ts, "ts");
        ensureOpen();
        DnsStatsKey key = d.key();
        try {
            generator.writeStartObject();
            writeHeader("dns", ts);
            generator.writeStringField("client", AddressText.of(key.client()));
            generator.writeStringField("server", AddressText.of(key.server()));
            generator.writeStringField("domain", JsonLineEscapes.sanitize(key.domain()));
            generator.writeStringField("qtype", key.queryTypeName());
            writeCountsByNumber("rcodes", d.countsByRcode());
            generator.writeNumberField("timeouts", d.timeouts());
            generator.writeNumberField("success_latency_us_sum", d.successLatencySumMicros());
            generator.writeNumberField("failure_latency_us_sum", d.failureLatencySumMicros());
            generator.writeNumberField("latency_us_p50", d.latencyMicrosAtPercentile(50));
            generator.writeNumberField("latency_us_p99", d.latencyMicrosAtPercentile(99));
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write DNS statistics " + key, e);
        }
    }

    /**
     * Writes one {@code "type":"telemetry"} line: the backend, then every counter of {@code t} in
     * its order, named as in {@link Telemetry}. A counter named like a header field
     * ({@code type}, {@code ts}, {@code backend}) would repeat that key; backends must not use those names.
     *
     * @param backend the backend's name
     * @param t the counters
     * @param ts the line's timestamp
     */
    public void writeTelemetry(String backend, Telemetry t, Instant ts) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(t, "t");
        Objects.requireNonNull(ts, "ts");
        ensureOpen();
        try {
            generator.writeStartObject();
            writeHeader("telemetry", ts);
            generator.writeStringField("backend", JsonLineEscapes.sanitize(backend));
            for (Map.Entry<String, Long> counter : t.counters().entrySet()) {
                generator.writeNumberField(JsonLineEscapes.sanitize(counter.getKey()), counter.getValue());
            }
            endLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write telemetry of " + backend, e);
        }
    }

    /**
     * Writes every connection, then every DNS statistics entry, then one telemetry line, all with
     * the snapshot's timestamp, and flushes.
     *
     * @param s the snapshot
     */
    public void writeSnapshot(FlowSnapshot s) {
        Objects.requireNonNull(s, "s");
        writeSnapshot(s, s.timestamp());
    }

    /**
     * As {@link #writeSnapshot(FlowSnapshot)}, every line stamped {@code ts}: for a snapshot of
     * {@link FlowClient#poll(ConnectionVisitor)}, whose connection lines were written during the visit
     * with that same time.
     *
     * @param s the snapshot
     * @param ts the time every line carries
     */
    public void writeSnapshot(FlowSnapshot s, Instant ts) {
        Objects.requireNonNull(s, "s");
        Objects.requireNonNull(ts, "ts");
        for (ConnectionStats c : s.connections()) {
            writeConnection(c, ts);
        }
        for (DnsStats d : s.dnsStats()) {
            writeDns(d, ts);
        }
        writeTelemetry(s.backend(), s.telemetry(), ts);
        flush();
    }

    /** Pushes buffered lines to the target and flushes it. */
    public void flush() {
        ensureOpen();
        try {
            generator.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush JSON lines", e);
        }
    }

    /**
     * Flushes buffered lines and releases the generator; closes the target only when this writer
     * opened it ({@link #to(Path)}). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            generator.close();
        } catch (IOException e) {
            failure = e;
        }
        if (ownedTarget != null) {
            try {
                ownedTarget.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw new UncheckedIOException("cannot close JSON lines output", failure);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("FlowJsonWriter is closed");
        }
    }

    private void writeHeader(String type, Instant ts) throws IOException {
        generator.writeStringField("type", type);
        generator.writeNumberField("ts", ts.toEpochMilli());
    }

    private void endLine() throws IOException {
        generator.writeEndObject();
        generator.writeRaw('\n');
    }

    private void writeUnsigned(long value) throws IOException {
        if (value >= 0) {
            generator.writeNumber(value);
        } else {
            generator.writeNumber(Long.toUnsignedString(value));
        }
    }

    private void writeCountsByNumber(String field, Map<Integer, Long> counts) throws IOException {
        generator.writeObjectFieldStart(field);
        if (!counts.isEmpty()) {
            int[] numbers = counts.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            for (int number : numbers) {
                generator.writeNumberField(Integer.toString(number), counts.get(number));
            }
        }
        generator.writeEndObject();
    }

    private void writeNat(NatTranslation nat) throws IOException {
        if (nat == null) {
            generator.writeNullField("nat");
            return;
        }
        generator.writeObjectFieldStart("nat");
        generator.writeStringField("laddr", AddressText.of(nat.localAddress()));
        generator.writeNumberField("lport", nat.localPort());
        generator.writeStringField("raddr", AddressText.of(nat.remoteAddress()));
        generator.writeNumberField("rport", nat.remotePort());
        generator.writeEndObject();
    }

    private void writeStrings(String field, List<String> values) throws IOException {
        generator.writeArrayFieldStart(field);
        for (String value : values) {
            generator.writeString(JsonLineEscapes.sanitize(value));
        }
        generator.writeEndArray();
    }

    private void writeSortedTags(Map<String, String> tags) throws IOException {
        generator.writeObjectFieldStart("tags");
        if (!tags.isEmpty()) {
            String[] keys = tags.keySet().toArray(new String[0]);
            Arrays.sort(keys);
            for (String key : keys) {
                generator.writeStringField(JsonLineEscapes.sanitize(key), JsonLineEscapes.sanitize(tags.get(key)));
            }
        }
        generator.writeEndObject();
    }

    private static void closeQuietly(Closeable closeable, IOException failure) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
