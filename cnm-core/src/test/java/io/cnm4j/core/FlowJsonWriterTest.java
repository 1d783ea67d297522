package io.cnm4j.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowJsonWriterTest {
    /** 2026-03-20T10:00:10Z is epoch millisecond 1774000810000. */
    private static final Instant TS = Instant.parse("2026-03-20T10:00:10Z");
    /** Top bit set: written as the unsigned 9223372036854775809. */
    private static final long HIGH_COOKIE = 0x8000_0000_0000_0001L;

    private static final String HOSTILE =
            "a\"b\\c\u0000d\ne\r\tf\u001Fg\u007Fh\u0085\u009F\u2028i\u2029j\uD800k\uDC00l\uD83D\uDE00m\u00E9";
    private static final String HOSTILE_DECODED =
            "a\"b\\c\u0000d\ne\r\tf\u001Fg\u007Fh\u0085\u009F\u2028i\u2029j\uFFFDk\uFFFDl\uD83D\uDE00m\u00E9";

    @Test
    void connectionLineMatchesGoldenFile() {
        // given
        ConnectionStats connection = tcpV4ClosedConnection();

        // when
        byte[] written = write(json -> json.writeConnection(connection, TS));

        // then
        assertThat(new String(written, UTF_8)).isEqualTo(golden("conn-tcp-v4-closed.jsonl"));
    }

    @Test
    void udpV6ConnectionLineMatchesGoldenFile() {
        // given
        ConnectionStats connection = udpV6Connection();

        // when
        byte[] written = write(json -> json.writeConnection(connection, TS));

        // then
        assertThat(new String(written, UTF_8)).isEqualTo(golden("conn-udp-v6.jsonl"));
    }

    @Test
    void dnsLineMatchesGoldenFile() {
        // given
        DnsStats dns = dnsStats();

        // when
        byte[] written = write(json -> json.writeDns(dns, TS));

        // then
        assertThat(new String(written, UTF_8)).isEqualTo(golden("dns.jsonl"));
    }

    @Test
    void telemetryLineMatchesGoldenFile() {
        // given
        Telemetry telemetry = telemetry();

        // when
        byte[] written = write(json -> json.writeTelemetry("ebpf", telemetry, TS));

        // then
        assertThat(new String(written, UTF_8)).isEqualTo(golden("telemetry.jsonl"));
    }

    @Test
    void snapshotWritesConnectionsThenDnsThenTelemetryAsInGoldenFile() {
        // given
        FlowSnapshot snapshot = snapshot();

        // when
        byte[] written = write(json -> json.writeSnapshot(snapshot));

        // then
        assertThat(new String(written, UTF_8)).isEqualTo(golden("snapshot.jsonl"))
                .isEqualTo(golden("conn-tcp-v4-closed.jsonl") + golden("conn-udp-v6.jsonl") + golden("dns.jsonl")
                        + golden("telemetry.jsonl"));
    }

    @Test
    void snapshotIsFlushedToTheStreamWithoutClosing() {
        // given
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlowJsonWriter json = FlowJsonWriter.to(out);

        // when
        json.writeSnapshot(snapshot());

        // then
        assertThat(out.toString(UTF_8)).isEqualTo(golden("snapshot.jsonl"));
    }

    @Test
    void writerTargetGetsTheSameTextAsStreamTarget() {
        // given
        ConnectionStats connection = tcpV4ClosedConnection()
                .withEnrichment(List.of(HOSTILE, "caf\u00E9.example"), Map.of(HOSTILE, HOSTILE), null);
        StringWriter text = new StringWriter();

        // when
        byte[] bytes = write(json -> json.writeConnection(connection, TS));
        try (FlowJsonWriter json = FlowJsonWriter.to(text)) {
            json.writeConnection(connection, TS);
        }

        // then
        assertThat(text.toString()).isEqualTo(new String(bytes, UTF_8));
    }

    @Test
    void hostileTagDecodesToTheSameStringWithLoneSurrogatesReplaced() throws IOException {
        // given
        ConnectionStats connection = udpV6Connection().withEnrichment(List.of(), Map.of("k", HOSTILE), null);

        // when
        String line = singleLine(write(json -> json.writeConnection(connection, TS)));

        // then
        Map<String, Object> decoded = JsonLine.parse(line);
        assertThat(decoded.get("tags")).isEqualTo(Map.of("k", HOSTILE_DECODED));
    }

    @Test
    void hostileKeysNamesAndDomainsStayOneLineAndDecodeExactly() throws IOException {
        // given
        ConnectionStats connection = udpV6Connection()
                .withEnrichment(List.of(HOSTILE, "plain"), Map.of(HOSTILE, "v", "env", HOSTILE), null);
        DnsStats dns = DnsStats.builder(new DnsStatsKey(ip("10.0.0.5"), ip("10.0.0.53"), HOSTILE, 28)).build();
        // counter names are declared snake case (TelemetryCounter refuses others): only the host is hostile
        Telemetry telemetry = Telemetry.of(Map.of(MonitorCounters.QUEUE_DROPPED, 3L));

        // when
        byte[] written = write(json -> {
            json.writeConnection(connection, TS);
            json.writeDns(dns, TS);
            json.writeTelemetry(HOSTILE, telemetry, TS);
        });

        // then
        List<String> lines = lines(written);
        assertThat(lines).hasSize(3);
        Map<String, Object> conn = JsonLine.parse(lines.get(0));
        assertThat(conn.get("dns_names")).isEqualTo(List.of(HOSTILE_DECODED, "plain"));
        assertThat(conn.get("tags")).isEqualTo(Map.of(HOSTILE_DECODED, "v", "env", HOSTILE_DECODED));
        Map<String, Object> dnsLine = JsonLine.parse(lines.get(1));
        assertThat(dnsLine.get("domain")).isEqualTo(HOSTILE_DECODED);
        assertThat(dnsLine.get("qtype")).isEqualTo("AAAA");
        Map<String, Object> telemetryLine = JsonLine.parse(lines.get(2));
        assertThat(telemetryLine.get("backend")).isEqualTo(HOSTILE_DECODED);
        assertThat(telemetryLine.get("queue_dropped")).isEqualTo(3L);
    }

    @Test
    void hostileStringsAreWrittenAsValidUtf8WithEscapedLineSeparators() {
        // given
        ConnectionStats connection = udpV6Connection().withEnrichment(List.of(HOSTILE), Map.of(HOSTILE, HOSTILE), null);

        // when
        byte[] written = write(json -> json.writeConnection(connection, TS));

        // then
        String text = strictUtf8(written);
        assertThat(text).endsWith("}\n").containsOnlyOnce("\n")
                .doesNotContain("\r", "\u2028", "\u2029", "\u007F", "\u0000", "\u0085", "\u009F")
                .contains("\\u2028", "\\u2029", "\\u007F", "\\u0085", "\\u009F", "\\u0000", "\\r", "\\n", "\\t",
                        "\\u001F", "\\\"", "\\\\")
                .contains("\uFFFD", "\uD83D\uDE00", "\u00E9");
    }

    @Test
    void scopedLinkLocalAddressIsWrittenWithoutScope() throws UnknownHostException {
        // given: fe80::1%eth0, built from bytes because parsing a named scope needs the interface to exist
        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 7);
        ConnectionStats connection = connection(Family.V6, Protocol.UDP, scoped, ip("fe80::2"));

        // when
        Map<String, Object> line = parseSingle(write(json -> json.writeConnection(connection, TS)));

        // then
        assertThat(scoped.getHostAddress()).isEqualTo("fe80:0:0:0:0:0:0:1%7");
        assertThat(line.get("laddr")).isEqualTo("fe80::1");
        assertThat(line.get("raddr")).isEqualTo("fe80::2");
    }

    @Test
    void negativeCookieIsWrittenAsUnsignedNumber() throws IOException {
        // given
        ConnectionStats connection = withCookie(udpV6Connection(), -1L);

        // when
        String line = singleLine(write(json -> json.writeConnection(connection, TS)));

        // then
        assertThat(line).contains("\"cookie\":18446744073709551615,");
        assertThat(JsonLine.parse(line).get("cookie")).isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void closeFlushesButLeavesABorrowedStreamOpen() {
        // given
        TrackingStream out = new TrackingStream();
        FlowJsonWriter json = FlowJsonWriter.to(out);
        json.writeTelemetry("ebpf", telemetry(), TS);

        // when
        json.close();
        json.close();

        // then
        assertThat(out.toString(UTF_8)).isEqualTo(golden("telemetry.jsonl"));
        assertThat(out.closed).isFalse();
        assertThatThrownBy(() -> json.writeTelemetry("ebpf", telemetry(), TS))
                .isInstanceOf(IllegalStateException.class).hasMessage("FlowJsonWriter is closed");
    }

    @Test
    void fileTargetIsOwnedAndClosedByTheWriter(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("flows.jsonl");
        Files.writeString(file, "old content that is truncated\n");

        // when
        try (FlowJsonWriter json = FlowJsonWriter.to(file)) {
            json.writeSnapshot(snapshot());
        }

        // then
        assertThat(Files.readString(file)).isEqualTo(golden("snapshot.jsonl"));
    }

    @Test
    void unwritableFileFailsWithUncheckedIoException(@TempDir Path dir) {
        assertThatThrownBy(() -> FlowJsonWriter.to(dir.resolve("missing").resolve("flows.jsonl")))
                .isInstanceOf(UncheckedIOException.class).hasMessageStartingWith("cannot open ");
    }

    private static ConnectionStats tcpV4ClosedConnection() {
        return new ConnectionStats(
                new ConnectionKey(Family.V4, Protocol.TCP, ip("172.17.0.2"), 48312, ip("10.96.0.10"), 443,
                        4242, 4026532281L),
                Direction.OUTGOING,
                HIGH_COOKIE,
                new Counters(5000, 120000, 14, 90, 3, 1, 1),
                new Counters(1200, 64000, 5, 45, 1, 0, 1),
                2500,
                400,
                Map.of(111, 1L, 104, 2L),
                Instant.parse("2026-03-20T10:00:02.750Z"),
                TS,
                true,
                false,
                new NatTranslation(ip("172.17.0.2"), 48312, ip("10.244.1.7"), 8443),
                List.of("checkout.svc.cluster.local", "checkout.example.com"),
                Map.of("service", "checkout", "env", "prod", "container_id", "4f2a9c"));
    }

    private static ConnectionStats udpV6Connection() {
        return new ConnectionStats(
                new ConnectionKey(Family.V6, Protocol.UDP, ip("2001:db8:0:0:1:0:0:1"), 51820,
                        ip("2606:4700:4700:0:0:0:0:1111"), 443, 777, 4026531840L),
                Direction.OUTGOING,
                4711,
                new Counters(3000, 9000, 4, 6, 0, 0, 0),
                new Counters(1500, 4500, 2, 3, 0, 0, 0),
                0,
                0,
                Map.of(),
                Instant.parse("2026-03-20T10:00:05Z"),
                Instant.parse("2026-03-20T10:00:09.500Z"),
                false,
                false,
                null,
                List.of(),
                Map.of());
    }

    private static ConnectionStats connection(Family family, Protocol protocol, InetAddress local, InetAddress remote) {
        ConnectionStats base = udpV6Connection();
        return new ConnectionStats(new ConnectionKey(family, protocol, local, 5353, remote, 5353, 1, 1),
                base.direction(), base.cookie(), base.total(), base.last(), 0, 0, Map.of(), base.start(),
                base.lastUpdate(), false, false, null, List.of(), Map.of());
    }

    private static ConnectionStats withCookie(ConnectionStats c, long cookie) {
        return new ConnectionStats(c.key(), c.direction(), cookie, c.total(), c.last(), c.rttMicros(),
                c.rttVarMicros(), c.tcpFailures(), c.start(), c.lastUpdate(), c.closed(), c.intraHost(), c.nat(),
                c.dnsNames(), c.tags());
    }

    /** Three NOERROR answers (120, 150, 180 us), one NXDOMAIN (240 us), one timeout: p50 150, p99 240. */
    private static DnsStats dnsStats() {
        return DnsStats.builder(new DnsStatsKey(ip("172.17.0.2"), ip("10.96.0.10"), "checkout.example.com", 1))
                .response(0, 120)
                .response(0, 150)
                .response(0, 180)
                .response(3, 240)
                .timeout()
                .build();
    }

    private static Telemetry telemetry() {
        Map<TelemetryCounter, Long> counters = new LinkedHashMap<>();
        counters.put(MonitorCounters.QUEUE_DROPPED, 0L);
        counters.put(MonitorCounters.EVENTS_APPLIED, 1234L);
        counters.put(TelemetryCounter.loss("ring_buffer_dropped", "ring buffer records that could not be reserved"), 7L);
        return Telemetry.of(counters);
    }

    private static FlowSnapshot snapshot() {
        return new FlowSnapshot(TS, "ebpf", List.of(tcpV4ClosedConnection(), udpV6Connection()), List.of(dnsStats()),
                telemetry());
    }

    private static byte[] write(Consumer<FlowJsonWriter> action) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FlowJsonWriter json = FlowJsonWriter.to(out)) {
            action.accept(json);
        }
        return out.toByteArray();
    }

    private static String golden(String name) {
        try (InputStream in = FlowJsonWriterTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes strictly: malformed UTF-8 fails the test instead of turning into U+FFFD. */
    private static String strictUtf8(byte[] bytes) {
        try {
            return UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IOException e) {
            throw new AssertionError("output is not valid UTF-8", e);
        }
    }

    /** The lines of the output; each must end with '\n' and hold no other line break. */
    private static List<String> lines(byte[] bytes) {
        String text = strictUtf8(bytes);
        assertThat(text).endsWith("\n").doesNotContain("\r", "\u2028", "\u2029", "\u0085");
        return List.of(text.substring(0, text.length() - 1).split("\n", -1));
    }

    private static String singleLine(byte[] bytes) {
        List<String> lines = lines(bytes);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    private static Map<String, Object> parseSingle(byte[] bytes) {
        try {
            return JsonLine.parse(singleLine(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** Records whether it was closed. */
    private static final class TrackingStream extends ByteArrayOutputStream {
        private boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
