package io.cnm4j.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every field of varied connection lines, parsed back with jackson-core's parser and compared, in
 * order, with the values written; each connection is written several times, so that lines built
 * from the writer's cached encodings (tag keys and values, DNS names, field names of numbers) are
 * checked as well as first writes.
 */
class FlowJsonWriterFieldsTest {
    private static final Instant TS = Instant.parse("2026-03-20T10:00:10Z");
    private static final long TS_MILLIS = 1_774_000_810_000L;
    private static final int ROUNDS = 4;
    private static final String HOSTILE =
            "a\"b\\c\u0000d\ne\r\tf\u001Fg\u007Fh\u0085\u009F\u2028i\u2029j\uD800k\uDC00l\uD83D\uDE00m\u00E9";
    private static final String HOSTILE_DECODED =
            "a\"b\\c\u0000d\ne\r\tf\u001Fg\u007Fh\u0085\u009F\u2028i\u2029j\uFFFDk\uFFFDl\uD83D\uDE00m\u00E9";
    /** Longer than the writer caches: always written directly. */
    private static final String LONG_NAME = "x".repeat(300) + ".example";

    @Test
    void everyFieldOfEveryLineParsesBackToTheWrittenValueInEveryRound() throws IOException {
        // given
        List<Sample> samples = samples();

        // when
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter chars = new StringWriter();
        try (FlowJsonWriter toStream = FlowJsonWriter.to(bytes); FlowJsonWriter toWriter = FlowJsonWriter.to(chars)) {
            for (int round = 0; round < ROUNDS; round++) {
                for (Sample sample : samples) {
                    toStream.writeConnection(sample.connection(), TS);
                    toWriter.writeConnection(sample.connection(), TS);
                }
            }
        }

        // then
        String text = bytes.toString(UTF_8);
        assertThat(chars.toString()).isEqualTo(text);
        assertThat(text).endsWith("\n");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        assertThat(lines).hasSize(ROUNDS * samples.size());
        for (int i = 0; i < lines.length; i++) {
            Sample sample = samples.get(i % samples.size());
            assertThat(lines[i]).as("round %d of %s", i / samples.size(), sample.name())
                    .isEqualTo(lines[i % samples.size()]);
            assertThat(ordered(JsonLine.parse(lines[i]))).as(sample.name()).isEqualTo(ordered(sample.expected()));
        }
    }

    private record Sample(String name, ConnectionView connection, Map<String, Object> expected) {
    }

    private static List<Sample> samples() {
        return List.of(plainV4(), enrichedV6(), mappedAndScopedV6(), longNamesAndManyTags());
    }

    /** Nothing optional: no failures, NAT, names nor tags; a cookie below 2^63. */
    private static Sample plainV4() {
        ConnectionStats c = new ConnectionStats(
                new ConnectionKey(Family.V4, Protocol.TCP, ip("10.0.12.34"), 45678, ip("172.217.16.142"), 443, 31337,
                        4026531840L),
                Direction.OUTGOING, 0x1_2345_6789L, new Counters(1_234_567, 98_765_432, 1_024, 70_123, 3, 1, 0),
                new Counters(12_345, 987_654, 42, 701, 1, 0, 0), 1_250, 310, Map.of(),
                Instant.parse("2026-03-20T10:00:00.123456789Z"), Instant.parse("2026-03-20T10:00:42.123456789Z"),
                false, false, null, List.of(), Map.of());
        Map<String, Object> expected = header("tcp", "v4", "10.0.12.34", 45678, "172.217.16.142", 443, "outgoing",
                31337, 4026531840L, 0x1_2345_6789L);
        counters(expected, 12_345, 987_654, 42, 701, 1, 0, 0, 1_250, 310);
        expected.put("tcp_failures", Map.of());
        expected.put("closed", false);
        expected.put("intra_host", false);
        expected.put("duration_ms", 42_000L);
        expected.put("nat", null);
        expected.put("dns_names", List.of());
        expected.put("tags", Map.of());
        return new Sample("plain v4", c, expected);
    }

    /**
     * As a poll hands it over: failures in a TreeMap, tags in a HashMap; hostile and non-ASCII
     * tags and names, NAT, a cookie above 2^63, an errno above the writer's encoded numbers.
     */
    private static Sample enrichedV6() {
        ConnectionStats stats = new ConnectionStats(
                new ConnectionKey(Family.V6, Protocol.UDP, ip("2001:db8:0:1::1234"), 5353,
                        ip("2a00:1450:4007:80e::200e"), 53, 7, 4026532281L),
                Direction.INCOMING, -0x0123_4567_89AB_CDEFL, new Counters(9, 8, 7, 6, 0, 0, 0),
                new Counters(5, 4, 3, 2, 0, 0, 0), 0, 0, Map.of(),
                Instant.parse("2026-03-20T10:00:05Z"), Instant.parse("2026-03-20T10:00:09.999999999Z"),
                true, true,
                new NatTranslation(ip("2001:db8::ffff:1"), 61000, ip("64:ff9b::c000:201"), 8053),
                List.of("www.google.com", "caf\u00E9.example", HOSTILE), Map.of());
        Map<Integer, Long> failures = new TreeMap<>(Map.of(111, 2L, 104, 1L, 70_000, 5L));
        Map<String, String> tags = new HashMap<>(Map.of("service", "checkout", HOSTILE, "Z\u00FCrich \uD83D\uDE00",
                "env", HOSTILE, "empty", ""));
        ConnectionView c = withMaps(stats, failures, tags);
        Map<String, Object> expected = header("udp", "v6", "2001:db8:0:1::1234", 5353, "2a00:1450:4007:80e::200e", 53,
                "incoming", 7, 4026532281L, new BigInteger("18364758544493064721"));
        counters(expected, 5, 4, 3, 2, 0, 0, 0, 0, 0);
        expected.put("tcp_failures", orderedMap("104", 1L, "111", 2L, "70000", 5L));
        expected.put("closed", true);
        expected.put("intra_host", true);
        expected.put("duration_ms", 4_999L);
        expected.put("nat", orderedMap("laddr", "2001:db8::ffff:1", "lport", 61000L, "raddr", "64:ff9b::c000:201",
                "rport", 8053L));
        expected.put("dns_names", List.of("www.google.com", "caf\u00E9.example", HOSTILE_DECODED));
        // sorted by the keys as given: HOSTILE ("a\"b...") sorts before "empty", "env", "service"
        expected.put("tags", orderedMap(HOSTILE_DECODED, "Z\u00FCrich \uD83D\uDE00", "empty", "", "env", HOSTILE_DECODED,
                "service", "checkout"));
        return new Sample("enriched v6", c, expected);
    }

    /**
     * An IPv4-mapped IPv6 address in mixed notation; a scoped one without its scope, whose two runs of
     * three zero groups tie (the first is shortened); IPv4 NAT.
     */
    private static Sample mappedAndScopedV6() {
        InetAddress mapped = v6(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2,
            (byte) 255}, -1);
        InetAddress scoped = v6(ip("fe80::1:0:0:0").getAddress(), 3);
        ConnectionStats c = new ConnectionStats(
                new ConnectionKey(Family.V6, Protocol.TCP, mapped, 0, scoped, 65535, 0, 0),
                Direction.NONE, 0, new Counters(0, 0, 0, 0, 0, 0, 0), new Counters(0, 0, 0, 0, 0, 1, 1), 0, 0,
                Map.of(110, 1L), Instant.parse("2026-03-20T10:00:05Z"), Instant.parse("2026-03-20T10:00:05Z"),
                true, false, new NatTranslation(ip("192.0.2.255"), 1, ip("0.0.0.0"), 0), List.of(), Map.of("k", "v"));
        Map<String, Object> expected = header("tcp", "v6", "::ffff:192.0.2.255", 0, "fe80::1:0:0:0", 65535, "none",
                0, 0L, 0L);
        counters(expected, 0, 0, 0, 0, 0, 1, 1, 0, 0);
        expected.put("tcp_failures", orderedMap("110", 1L));
        expected.put("closed", true);
        expected.put("intra_host", false);
        expected.put("duration_ms", 0L);
        expected.put("nat", orderedMap("laddr", "192.0.2.255", "lport", 1L, "raddr", "0.0.0.0", "rport", 0L));
        expected.put("dns_names", List.of());
        expected.put("tags", orderedMap("k", "v"));
        return new Sample("mapped and scoped v6", c, expected);
    }

    /** Strings too long to cache, and more tags than the writer's first buffer holds. */
    private static Sample longNamesAndManyTags() {
        Map<String, String> tags = new HashMap<>();
        Map<String, Object> sortedTags = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            String key = "tag" + (char) ('a' + i % 26) + i;
            String value = i % 2 == 0 ? LONG_NAME : "v\u00E9" + i;
            tags.put(key, value);
            sortedTags.put(key, value);
        }
        ConnectionStats c = new ConnectionStats(
                new ConnectionKey(Family.V4, Protocol.UDP, ip("127.0.0.1"), 1, ip("255.255.255.255"), 2, -1, -1),
                Direction.LOCAL, Long.MIN_VALUE, new Counters(1, 1, 1, 1, 0, 0, 0),
                new Counters(Long.MAX_VALUE, 1, 1, 1, 0, 0, 0), Long.MAX_VALUE, 1, Map.of(),
                Instant.parse("2026-03-20T10:00:00Z"), Instant.parse("2026-03-20T10:00:00.000999999Z"),
                false, true, null, List.of(LONG_NAME, LONG_NAME), tags);
        Map<String, Object> expected = header("udp", "v4", "127.0.0.1", 1, "255.255.255.255", 2, "local", -1, -1L,
                new BigInteger("9223372036854775808"));
        counters(expected, Long.MAX_VALUE, 1, 1, 1, 0, 0, 0, Long.MAX_VALUE, 1);
        expected.put("tcp_failures", Map.of());
        expected.put("closed", false);
        expected.put("intra_host", true);
        expected.put("duration_ms", 0L);
        expected.put("nat", null);
        expected.put("dns_names", List.of(LONG_NAME, LONG_NAME));
        expected.put("tags", new LinkedHashMap<>(sortedTags));
        return new Sample("long names and many tags", c, expected);
    }

    /** {@code stats} with failures and tags in the given maps, which a {@link ConnectionStats} would copy. */
    private static ConnectionView withMaps(ConnectionStats stats, Map<Integer, Long> failures, Map<String, String> tags) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "tcpFailures" -> failures;
            case "tags" -> tags;
            default -> method.invoke(stats, args);
        };
        return (ConnectionView) Proxy.newProxyInstance(ConnectionView.class.getClassLoader(),
                new Class<?>[] {ConnectionView.class}, handler);
    }

    private static Map<String, Object> header(String proto, String family, String laddr, long lport, String raddr,
            long rport, String direction, long pid, long netns, Object cookie) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "conn");
        line.put("ts", TS_MILLIS);
        line.put("proto", proto);
        line.put("family", family);
        line.put("laddr", laddr);
        line.put("lport", lport);
        line.put("raddr", raddr);
        line.put("rport", rport);
        line.put("direction", direction);
        line.put("pid", pid);
        line.put("netns", netns);
        line.put("cookie", cookie instanceof BigInteger big ? big : (Object) ((Number) cookie).longValue());
        return line;
    }

    private static void counters(Map<String, Object> line, long bytesSent, long bytesRecv, long packetsSent,
            long packetsRecv, long retransmits, long established, long closed, long rtt, long rttVar) {
        line.put("bytes_sent", bytesSent);
        line.put("bytes_recv", bytesRecv);
        line.put("packets_sent", packetsSent);
        line.put("packets_recv", packetsRecv);
        line.put("retransmits", retransmits);
        line.put("tcp_established", established);
        line.put("tcp_closed", closed);
        line.put("rtt_us", rtt);
        line.put("rtt_var_us", rttVar);
    }

    private static Map<String, Object> orderedMap(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Objects as lists of [key, value] pairs, so that equality includes the order of the keys. */
    private static Object ordered(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<Object> pairs = new ArrayList<>();
            map.forEach((k, v) -> pairs.add(List.of(k, ordered(v) == null ? "<null>" : ordered(v))));
            return pairs;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(FlowJsonWriterFieldsTest::ordered).toList();
        }
        return value;
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static InetAddress v6(byte[] bytes, int scope) {
        try {
            return Inet6Address.getByAddress(null, bytes, scope);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }
}
