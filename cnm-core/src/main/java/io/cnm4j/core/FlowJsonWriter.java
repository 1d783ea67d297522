package io.cnm4j.core;

import io.cnm4j.core.internal.AddressTextCache;
import io.cnm4j.core.internal.JsonLineBuffer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
 * <p>Per line, the writer allocates nothing of its own: each line is composed as UTF-8 in one reused
 * buffer of {@value JsonLineBuffer#CAPACITY} bytes, with field names encoded once and numbers,
 * addresses and strings encoded in place; the text of NAT and DNS addresses, which are
 * {@link InetAddress}es, is kept in a bounded cache, and only a miss there copies the address. What
 * remains is what the connection's accessors allocate. The buffer is handed to the target when it
 * fills, so a line may be split across two writes.
 *
 * <p>Not thread-safe: use one instance from one thread at a time (a {@link FlowListener} is called
 * from one thread, so {@code monitor.addListener(json::writeSnapshot)} is fine). I/O failures are
 * thrown as {@link UncheckedIOException}; the output may then end in a partial line, so discard
 * the writer.
 */
public final class FlowJsonWriter implements AutoCloseable {
    /** NAT and DNS addresses whose text is kept: a few hundred translated connections or DNS servers. */
    private static final int CACHED_ADDRESSES = 256;

    private static final byte[] CONN_HEADER = ascii("{\"type\":\"conn\",\"ts\":");
    private static final byte[] DNS_HEADER = ascii("{\"type\":\"dns\",\"ts\":");
    private static final byte[] TELEMETRY_HEADER = ascii("{\"type\":\"telemetry\",\"ts\":");
    private static final byte[][] PROTOCOLS = fields("proto", Protocol.values(), Protocol::jsonName);
    private static final byte[][] FAMILIES = fields("family", Family.values(), Family::jsonName);
    private static final byte[][] DIRECTIONS = fields("direction", Direction.values(), Direction::jsonName);
    private static final byte[] LADDR = field("laddr");
    private static final byte[] LPORT = field("lport");
    private static final byte[] RADDR = field("raddr");
    private static final byte[] RPORT = field("rport");
    private static final byte[] PID = field("pid");
    private static final byte[] NETNS = field("netns");
    private static final byte[] COOKIE = field("cookie");
    private static final byte[] BYTES_SENT = field("bytes_sent");
    private static final byte[] BYTES_RECV = field("bytes_recv");
    private static final byte[] PACKETS_SENT = field("packets_sent");
    private static final byte[] PACKETS_RECV = field("packets_recv");
    private static final byte[] RETRANSMITS = field("retransmits");
    private static final byte[] TCP_ESTABLISHED = field("tcp_established");
    private static final byte[] TCP_CLOSED = field("tcp_closed");
    private static final byte[] RTT_US = field("rtt_us");
    private static final byte[] RTT_VAR_US = field("rtt_var_us");
    private static final byte[] TCP_FAILURES = field("tcp_failures");
    private static final byte[] CLOSED = field("closed");
    private static final byte[] INTRA_HOST = field("intra_host");
    private static final byte[] DURATION_MS = field("duration_ms");
    private static final byte[] NAT = field("nat");
    /** The NAT object's first field, without the comma that {@link #LADDR} starts with. */
    private static final byte[] NAT_LADDR = ascii("{\"laddr\":");
    private static final byte[] DNS_NAMES = field("dns_names");
    private static final byte[] TAGS = field("tags");
    private static final byte[] CLIENT = field("client");
    private static final byte[] SERVER = field("server");
    private static final byte[] DOMAIN = field("domain");
    private static final byte[] QTYPE = field("qtype");
    private static final byte[] RCODES = field("rcodes");
    private static final byte[] TIMEOUTS = field("timeouts");
    private static final byte[] SUCCESS_LATENCY_US_SUM = field("success_latency_us_sum");
    private static final byte[] FAILURE_LATENCY_US_SUM = field("failure_latency_us_sum");
    private static final byte[] LATENCY_US_P50 = field("latency_us_p50");
    private static final byte[] LATENCY_US_P99 = field("latency_us_p99");
    private static final byte[] BACKEND = field("backend");
    private static final byte[] LINE_END = ascii("}\n");

    private final JsonLineBuffer out;
    private final Closeable ownedTarget;
    private final AddressTextCache addresses = new AddressTextCache(CACHED_ADDRESSES);
    private final byte[] addressBytes = new byte[16];
    private String[] tagKeys = new String[16];
    private int tagCount;
    private final BiConsumer<String, String> collectTagKey = this::collectTagKey;
    private long[] countOrder = new long[16];
    private long[] countValues = new long[16];
    private int countCount;
    private final BiConsumer<Integer, Long> collectCount = this::collectCount;
    private boolean closed;

    private FlowJsonWriter(JsonLineBuffer out, Closeable ownedTarget) {
        this.out = out;
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
        return new FlowJsonWriter(JsonLineBuffer.to(out), null);
    }

    /**
     * A writer of JSON lines to a character writer that the caller keeps owning.
     *
     * @param writer the character writer, not closed by this writer
     * @return the writer
     */
    public static FlowJsonWriter to(Writer writer) {
        Objects.requireNonNull(writer, "writer");
        return new FlowJsonWriter(JsonLineBuffer.to(writer), null);
    }

    /**
     * A writer of UTF-8 JSON lines to a file, created or truncated, that {@link #close()} closes.
     *
     * @param file the file
     * @return the writer, which owns the file
     */
    public static FlowJsonWriter to(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            OutputStream stream = Files.newOutputStream(file);
            return new FlowJsonWriter(JsonLineBuffer.to(stream), stream);
        } catch (IOException e) {
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
            out.field(CONN_HEADER, ts.toEpochMilli());
            out.raw(PROTOCOLS[key.protocol().ordinal()]);
            out.raw(FAMILIES[key.family().ordinal()]);
            out.raw(LADDR);
            out.address(addressBytes, key.copyAddressBytes(false, addressBytes));
            out.field(LPORT, key.localPort());
            out.raw(RADDR);
            out.address(addressBytes, key.copyAddressBytes(true, addressBytes));
            out.field(RPORT, key.remotePort());
            out.raw(DIRECTIONS[c.direction().ordinal()]);
            out.field(PID, key.pid());
            out.field(NETNS, key.netns());
            out.raw(COOKIE);
            out.unsignedNumber(c.cookie());
            out.field(BYTES_SENT, c.bytesSent());
            out.field(BYTES_RECV, c.bytesReceived());
            out.field(PACKETS_SENT, c.packetsSent());
            out.field(PACKETS_RECV, c.packetsReceived());
            out.field(RETRANSMITS, c.retransmits());
            out.field(TCP_ESTABLISHED, c.tcpEstablished());
            out.field(TCP_CLOSED, c.tcpClosed());
            out.field(RTT_US, c.rttMicros());
            out.field(RTT_VAR_US, c.rttVarMicros());
            writeCountsByNumber(TCP_FAILURES, c.tcpFailures());
            out.raw(CLOSED);
            out.bool(c.closed());
            out.raw(INTRA_HOST);
            out.bool(c.intraHost());
            out.field(DURATION_MS, (c.lastUpdateEpochNanos() - c.startEpochNanos()) / 1_000_000);
            writeNat(c.nat());
            writeStrings(DNS_NAMES, c.dnsNames());
            writeSortedTags(c.tags());
            out.raw(LINE_END);
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
            out.field(DNS_HEADER, ts.toEpochMilli());
            out.raw(CLIENT);
            writeAddress(key.client());
            out.raw(SERVER);
            writeAddress(key.server());
            out.raw(DOMAIN);
            out.string(key.domain());
            out.raw(QTYPE);
            out.string(key.queryTypeName());
            writeCountsByNumber(RCODES, d.countsByRcode());
            out.field(TIMEOUTS, d.timeouts());
            out.field(SUCCESS_LATENCY_US_SUM, d.successLatencySumMicros());
            out.field(FAILURE_LATENCY_US_SUM, d.failureLatencySumMicros());
            out.field(LATENCY_US_P50, d.latencyMicrosAtPercentile(50));
            out.field(LATENCY_US_P99, d.latencyMicrosAtPercentile(99));
            out.raw(LINE_END);
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
            out.field(TELEMETRY_HEADER, ts.toEpochMilli());
            out.raw(BACKEND);
            out.string(backend);
            for (Map.Entry<String, Long> counter : t.counters().entrySet()) {
                out.raw(',');
                out.string(counter.getKey());
                out.raw(':');
                out.number(counter.getValue());
            }
            out.raw(LINE_END);
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
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush JSON lines", e);
        }
    }

    /**
     * Flushes buffered lines to the target; closes the target only when this writer opened it
     * ({@link #to(Path)}). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            out.flush();
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

    private void writeAddress(InetAddress address) throws IOException {
        out.quoted(addresses.text(address));
    }

    /**
     * Writes the counts as an object sorted by number. They are first copied into primitive arrays,
     * each number with its position ({@code number << 32 | index}), so sorting them boxes nothing.
     */
    private void writeCountsByNumber(byte[] field, Map<Integer, Long> counts) throws IOException {
        out.raw(field);
        out.raw('{');
        if (!counts.isEmpty()) {
            countCount = 0;
            counts.forEach(collectCount);
            Arrays.sort(countOrder, 0, countCount);
            for (int i = 0; i < countCount; i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.raw('"');
                out.number(countOrder[i] >> 32);
                out.raw('"');
                out.raw(':');
                out.number(countValues[(int) countOrder[i]]);
            }
        }
        out.raw('}');
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

    private void writeNat(NatTranslation nat) throws IOException {
        out.raw(NAT);
        if (nat == null) {
            out.nullValue();
            return;
        }
        out.raw(NAT_LADDR);
        writeAddress(nat.localAddress());
        out.field(LPORT, nat.localPort());
        out.raw(RADDR);
        writeAddress(nat.remoteAddress());
        out.field(RPORT, nat.remotePort());
        out.raw('}');
    }

    private void writeStrings(byte[] field, List<String> values) throws IOException {
        out.raw(field);
        out.raw('[');
        for (int i = 0, n = values.size(); i < n; i++) {
            if (i > 0) {
                out.raw(',');
            }
            out.string(values.get(i));
        }
        out.raw(']');
    }

    private void writeSortedTags(Map<String, String> tags) throws IOException {
        out.raw(TAGS);
        out.raw('{');
        if (!tags.isEmpty()) {
            tagCount = 0;
            tags.forEach(collectTagKey);
            Arrays.sort(tagKeys, 0, tagCount);
            for (int i = 0; i < tagCount; i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.string(tagKeys[i]);
                out.raw(':');
                out.string(tags.get(tagKeys[i]));
            }
            // The keys are not kept past the line.
            Arrays.fill(tagKeys, 0, tagCount, null);
        }
        out.raw('}');
    }

    private void collectTagKey(String key, String value) {
        if (tagCount == tagKeys.length) {
            tagKeys = Arrays.copyOf(tagKeys, tagCount * 2);
        }
        tagKeys[tagCount++] = key;
    }

    /** {@code ,"name":} in ASCII: a field after the object's first. */
    private static byte[] field(String name) {
        return ascii(",\"" + name + "\":");
    }

    /** {@code ,"name":"value"} for each constant, indexed by ordinal. */
    private static <T> byte[][] fields(String name, T[] constants, Function<T, String> value) {
        byte[][] fields = new byte[constants.length][];
        for (int i = 0; i < constants.length; i++) {
            fields[i] = ascii(",\"" + name + "\":\"" + value.apply(constants[i]) + "\"");
        }
        return fields;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
