package io.cnm4j.core;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.cnm4j.core.internal.AddressText;
import io.cnm4j.core.internal.EncodedStrings;
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
import java.util.function.BiConsumer;
import java.util.function.Function;

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
 * <p>Per line, the writer allocates next to nothing: field names are encoded once, addresses and
 * numbers are formatted into reused buffers, and tag keys and values and DNS names that repeat are
 * escaped once and kept in a bounded cache. What remains is the copy that
 * {@link InetAddress#getAddress()} makes of a NAT or DNS address (and of a connection key's address
 * while {@link ConnectionKey} holds {@link InetAddress}es), and what the connection's accessors allocate.
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
    /** Entries of the string cache: room for the tags and names of a few hundred distinct connections. */
    private static final int CACHED_STRINGS = 1024;
    /** Numbers below this (every errno and DNS rcode) have their field name encoded once. */
    private static final int ENCODED_NUMBER_NAMES = 4096;

    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString TS = new SerializedString("ts");
    private static final SerializedString CONN = new SerializedString("conn");
    private static final SerializedString DNS = new SerializedString("dns");
    private static final SerializedString TELEMETRY = new SerializedString("telemetry");
    private static final SerializedString PROTO = new SerializedString("proto");
    private static final SerializedString FAMILY = new SerializedString("family");
    private static final SerializedString LADDR = new SerializedString("laddr");
    private static final SerializedString LPORT = new SerializedString("lport");
    private static final SerializedString RADDR = new SerializedString("raddr");
    private static final SerializedString RPORT = new SerializedString("rport");
    private static final SerializedString DIRECTION = new SerializedString("direction");
    private static final SerializedString PID = new SerializedString("pid");
    private static final SerializedString NETNS = new SerializedString("netns");
    private static final SerializedString COOKIE = new SerializedString("cookie");
    private static final SerializedString BYTES_SENT = new SerializedString("bytes_sent");
    private static final SerializedString BYTES_RECV = new SerializedString("bytes_recv");
    private static final SerializedString PACKETS_SENT = new SerializedString("packets_sent");
    private static final SerializedString PACKETS_RECV = new SerializedString("packets_recv");
    private static final SerializedString RETRANSMITS = new SerializedString("retransmits");
    private static final SerializedString TCP_ESTABLISHED = new SerializedString("tcp_established");
    private static final SerializedString TCP_CLOSED = new SerializedString("tcp_closed");
    private static final SerializedString RTT_US = new SerializedString("rtt_us");
    private static final SerializedString RTT_VAR_US = new SerializedString("rtt_var_us");
    private static final SerializedString TCP_FAILURES = new SerializedString("tcp_failures");
    private static final SerializedString CLOSED = new SerializedString("closed");
    private static final SerializedString INTRA_HOST = new SerializedString("intra_host");
    private static final SerializedString DURATION_MS = new SerializedString("duration_ms");
    private static final SerializedString NAT = new SerializedString("nat");
    private static final SerializedString DNS_NAMES = new SerializedString("dns_names");
    private static final SerializedString TAGS = new SerializedString("tags");
    private static final SerializedString CLIENT = new SerializedString("client");
    private static final SerializedString SERVER = new SerializedString("server");
    private static final SerializedString DOMAIN = new SerializedString("domain");
    private static final SerializedString QTYPE = new SerializedString("qtype");
    private static final SerializedString RCODES = new SerializedString("rcodes");
    private static final SerializedString TIMEOUTS = new SerializedString("timeouts");
    private static final SerializedString SUCCESS_LATENCY_US_SUM = new SerializedString("success_latency_us_sum");
    private static final SerializedString FAILURE_LATENCY_US_SUM = new SerializedString("failure_latency_us_sum");
    private static final SerializedString LATENCY_US_P50 = new SerializedString("latency_us_p50");
    private static final SerializedString LATENCY_US_P99 = new SerializedString("latency_us_p99");
    private static final SerializedString BACKEND = new SerializedString("backend");
    private static final SerializedString[] PROTOCOLS = encodedNames(Protocol.values(), Protocol::jsonName);
    private static final SerializedString[] FAMILIES = encodedNames(Family.values(), Family::jsonName);
    private static final SerializedString[] DIRECTIONS = encodedNames(Direction.values(), Direction::jsonName);

    private final JsonGenerator generator;
    private final Closeable ownedTarget;
    private final EncodedStrings strings = new EncodedStrings(FACTORY, CACHED_STRINGS);
    private final SerializedString[] numberNames = new SerializedString[ENCODED_NUMBER_NAMES];
    private final byte[] addressBytes = new byte[16];
    private final char[] text = new char[Math.max(AddressText.MAX_LENGTH, 20)];
    private String[] tagKeys = new String[16];
    private int tagCount;
    private final BiConsumer<String, String> collectTagKey = this::collectTagKey;
    private long[] countOrder = new long[16];
    private long[] countValues = new long[16];
    private int countCount;
    private final BiConsumer<Integer, Long> collectCount = this::collectCount;
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
            writeHeader(CONN, ts);
            writeField(PROTO, PROTOCOLS[key.protocol().ordinal()]);
            writeField(FAMILY, FAMILIES[key.family().ordinal()]);
            generator.writeFieldName(LADDR);
            writeAddress(key.copyAddressBytes(false, addressBytes));
            writeField(LPORT, key.localPort());
            generator.writeFieldName(RADDR);
            writeAddress(key.copyAddressBytes(true, addressBytes));
            writeField(RPORT, key.remotePort());
            writeField(DIRECTION, DIRECTIONS[c.direction().ordinal()]);
            writeField(PID, key.pid());
            writeField(NETNS, key.netns());
            generator.writeFieldName(COOKIE);
            writeUnsigned(c.cookie());
            writeField(BYTES_SENT, c.bytesSent());
            writeField(BYTES_RECV, c.bytesReceived());
            writeField(PACKETS_SENT, c.packetsSent());
            writeField(PACKETS_RECV, c.packetsReceived());
            writeField(RETRANSMITS, c.retransmits());
            writeField(TCP_ESTABLISHED, c.tcpEstablished());
            writeField(TCP_CLOSED, c.tcpClosed());
            writeField(RTT_US, c.rttMicros());
            writeField(RTT_VAR_US, c.rttVarMicros());
            writeCountsByNumber(TCP_FAILURES, c.tcpFailures());
            generator.writeFieldName(CLOSED);
            generator.writeBoolean(c.closed());
            generator.writeFieldName(INTRA_HOST);
            generator.writeBoolean(c.intraHost());
            writeField(DURATION_MS, (c.lastUpdateEpochNanos() - c.startEpochNanos()) / 1_000_000);
            writeNat(c.nat());
            writeStrings(DNS_NAMES, c.dnsNames());
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
            writeHeader(DNS, ts);
            generator.writeFieldName(CLIENT);
            writeAddress(key.client());
            generator.writeFieldName(SERVER);
            writeAddress(key.server());
            generator.writeFieldName(DOMAIN);
            writeCachedString(key.domain());
            generator.writeFieldName(QTYPE);
            generator.writeString(key.queryTypeName());
            writeCountsByNumber(RCODES, d.countsByRcode());
            writeField(TIMEOUTS, d.timeouts());
            writeField(SUCCESS_LATENCY_US_SUM, d.successLatencySumMicros());
            writeField(FAILURE_LATENCY_US_SUM, d.failureLatencySumMicros());
            writeField(LATENCY_US_P50, d.latencyMicrosAtPercentile(50));
            writeField(LATENCY_US_P99, d.latencyMicrosAtPercentile(99));
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
            writeHeader(TELEMETRY, ts);
            generator.writeFieldName(BACKEND);
            writeCachedString(backend);
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

    private void writeHeader(SerializableString type, Instant ts) throws IOException {
        writeField(TYPE, type);
        writeField(TS, ts.toEpochMilli());
    }

    private void writeField(SerializableString name, SerializableString value) throws IOException {
        generator.writeFieldName(name);
        generator.writeString(value);
    }

    private void writeField(SerializableString name, long value) throws IOException {
        generator.writeFieldName(name);
        generator.writeNumber(value);
    }

    private void endLine() throws IOException {
        generator.writeEndObject();
        generator.writeRaw('\n');
    }

    /** Writes the address whose bytes {@link #addressBytes} holds, {@code length} of them, as a string. */
    private void writeAddress(int length) throws IOException {
        generator.writeString(text, 0, AddressText.format(addressBytes, length, text));
    }

    private void writeAddress(InetAddress address) throws IOException {
        byte[] bytes = address.getAddress();
        generator.writeString(text, 0, AddressText.format(bytes, bytes.length, text));
    }

    /** Writes {@code value} as an unsigned decimal, formatted in {@link #text} rather than a new string. */
    private void writeUnsigned(long value) throws IOException {
        if (value >= 0) {
            generator.writeNumber(value);
            return;
        }
        // Halved unsigned, the quotient fits a signed long; the digits are then written from the last.
        long rest = (value >>> 1) / 5;
        int at = text.length;
        text[--at] = (char) ('0' + (value - rest * 10));
        for (; rest != 0; rest /= 10) {
            text[--at] = (char) ('0' + rest % 10);
        }
        generator.writeNumber(text, at, text.length - at);
    }

    private void writeCachedString(String value) throws IOException {
        SerializableString encoded = strings.get(value);
        if (encoded != null) {
            generator.writeString(encoded);
        } else {
            generator.writeString(JsonLineEscapes.sanitize(value));
        }
    }

    private void writeCachedFieldName(String name) throws IOException {
        SerializableString encoded = strings.get(name);
        if (encoded != null) {
            generator.writeFieldName(encoded);
        } else {
            generator.writeFieldName(JsonLineEscapes.sanitize(name));
        }
    }

    /**
     * Writes the counts as an object sorted by number. They are first copied into primitive arrays,
     * each number with its position ({@code number << 32 | index}), so sorting them boxes nothing.
     */
    private void writeCountsByNumber(SerializableString field, Map<Integer, Long> counts) throws IOException {
        generator.writeFieldName(field);
        generator.writeStartObject();
        if (!counts.isEmpty()) {
            countCount = 0;
            counts.forEach(collectCount);
            Arrays.sort(countOrder, 0, countCount);
            for (int i = 0; i < countCount; i++) {
                int number = (int) (countOrder[i] >> 32);
                generator.writeFieldName(numberName(number));
                generator.writeNumber(countValues[(int) countOrder[i]]);
            }
        }
        generator.writeEndObject();
    }

    private void collectCount(Integer number, Long count) {
        if (countCount == countOrder.length) {
            countOrder = Arrays.copyOf(countOrder, countCount * 2);
            countValues = Arrays.copyOf(countValues, countCount * 2);
        }
        countOrder[countCount] = (long) number << 32 | countCount;
        countValues[countCount] = count;
        countCount++;
    }

    private SerializableString numberName(int number) {
        if (number < 0 || number >= numberNames.length) {
            return new SerializedString(Integer.toString(number));
        }
        SerializedString name = numberNames[number];
        if (name == null) {
            name = new SerializedString(Integer.toString(number));
            numberNames[number] = name;
        }
        return name;
    }

    private void writeNat(NatTranslation nat) throws IOException {
        generator.writeFieldName(NAT);
        if (nat == null) {
            generator.writeNull();
            return;
        }
        generator.writeStartObject();
        generator.writeFieldName(LADDR);
        writeAddress(nat.localAddress());
        writeField(LPORT, nat.localPort());
        generator.writeFieldName(RADDR);
        writeAddress(nat.remoteAddress());
        writeField(RPORT, nat.remotePort());
        generator.writeEndObject();
    }

    private void writeStrings(SerializableString field, List<String> values) throws IOException {
        generator.writeFieldName(field);
        generator.writeStartArray();
        for (int i = 0, n = values.size(); i < n; i++) {
            writeCachedString(values.get(i));
        }
        generator.writeEndArray();
    }

    private void writeSortedTags(Map<String, String> tags) throws IOException {
        generator.writeFieldName(TAGS);
        generator.writeStartObject();
        if (!tags.isEmpty()) {
            tagCount = 0;
            tags.forEach(collectTagKey);
            Arrays.sort(tagKeys, 0, tagCount);
            for (int i = 0; i < tagCount; i++) {
                writeCachedFieldName(tagKeys[i]);
                writeCachedString(tags.get(tagKeys[i]));
            }
            // The keys are not kept: the cache holds what repeats.
            Arrays.fill(tagKeys, 0, tagCount, null);
        }
        generator.writeEndObject();
    }

    private void collectTagKey(String key, String value) {
        if (tagCount == tagKeys.length) {
            tagKeys = Arrays.copyOf(tagKeys, tagCount * 2);
        }
        tagKeys[tagCount++] = key;
    }

    private static <T> SerializedString[] encodedNames(T[] constants, Function<T, String> name) {
        SerializedString[] names = new SerializedString[constants.length];
        for (int i = 0; i < constants.length; i++) {
            names[i] = new SerializedString(name.apply(constants[i]));
        }
        return names;
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
