package io.cnm4j.linux.internal;

import static io.cnm4j.linux.internal.ConnRecordLayout.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offsets and widths {@link ConnRecordLayout} and the decoder use are the ones of
 * {@code src/main/bpf/cnm_conn.h}, as a C compiler lays the structs out: a small program compiled
 * with gcc (or clang) against the header prints every field's offsetof/sizeof. The header uses only
 * fixed-width types with natural alignment, so the host's layout is the BPF target's layout.
 */
class ConnRecordLayoutTest {
    private static final Path HEADER_DIR = Path.of("src/main/bpf").toAbsolutePath();

    /** One field, named as the Java constant of its offset (pads have no constant: C-only). */
    private record Field(String name, long offset, long size) {
    }

    private static final String PROGRAM = """
            #include <stdio.h>
            #include <stddef.h>
            #include "cnm_conn.h"

            #define FIELD(name, type, member) printf("field %s %zu %zu\\n", name, offsetof(struct type, member), \\
                    sizeof(((struct type *)0)->member))
            #define SIZE(name, type) printf("size %s %zu\\n", name, sizeof(struct type))
            #define CONSTANT(name, value) printf("constant %s %d\\n", name, value)

            int main(void)
            {
                SIZE("KEY_BYTES", conn_key);
                FIELD("KEY_COOKIE", conn_key, cookie);
                FIELD("KEY_RADDR", conn_key, raddr);
                FIELD("KEY_RPORT", conn_key, rport);
                FIELD("KEY_FAMILY", conn_key, family);
                FIELD("KEY_PROTOCOL", conn_key, protocol);
                FIELD("KEY_PAD", conn_key, pad);

                SIZE("STATS_BYTES", conn_stats);
                FIELD("STATS_LADDR", conn_stats, laddr);
                FIELD("STATS_RADDR", conn_stats, raddr);
                FIELD("STATS_LPORT", conn_stats, lport);
                FIELD("STATS_RPORT", conn_stats, rport);
                FIELD("STATS_FAMILY", conn_stats, family);
                FIELD("STATS_PROTOCOL", conn_stats, protocol);
                FIELD("STATS_DIRECTION", conn_stats, direction);
                FIELD("STATS_ESTABLISHED", conn_stats, established);
                FIELD("STATS_PID", conn_stats, pid);
                FIELD("STATS_NETNS", conn_stats, netns);
                FIELD("STATS_START_NS", conn_stats, start_ns);
                FIELD("STATS_LAST_UPDATE_NS", conn_stats, last_update_ns);
                FIELD("STATS_BYTES_SENT", conn_stats, bytes_sent);
                FIELD("STATS_BYTES_RECV", conn_stats, bytes_recv);
                FIELD("STATS_PACKETS_SENT", conn_stats, packets_sent);
                FIELD("STATS_PACKETS_RECV", conn_stats, packets_recv);
                FIELD("STATS_RETRANSMITS", conn_stats, retransmits);
                FIELD("STATS_SRTT_US", conn_stats, srtt_us);
                FIELD("STATS_RTTVAR_US", conn_stats, rttvar_us);
                FIELD("STATS_FAILURE_ERRNO", conn_stats, failure_errno);
                FIELD("STATS_CGROUP_ID", conn_stats, cgroup_id);
                FIELD("STATS_SEQ", conn_stats, seq);
                FIELD("STATS_COMM", conn_stats, comm);
                FIELD("STATS_LIVE_PASS", conn_stats, live_pass);
                FIELD("STATS_RESERVED", conn_stats, reserved);

                SIZE("RECORD_BYTES", conn_record);
                FIELD("RECORD_KEY", conn_record, key);
                FIELD("RECORD_STATS", conn_record, stats);
                FIELD("RECORD_KIND", conn_record, kind);
                FIELD("RECORD_PAD", conn_record, pad);

                SIZE("CONFIG_BYTES", cnm_config);
                FIELD("CONFIG_COLLECT_TCP", cnm_config, collect_tcp);
                FIELD("CONFIG_COLLECT_UDP", cnm_config, collect_udp);
                FIELD("CONFIG_COLLECT_IPV6", cnm_config, collect_ipv6);
                FIELD("CONFIG_UDP_PEER_LIMIT", cnm_config, udp_peer_limit);
                FIELD("CONFIG_TCP_LIVE_ITERATOR", cnm_config, tcp_live_iterator);

                CONSTANT("RECORD_TCP_CLOSED", CNM_RECORD_TCP_CLOSED);
                CONSTANT("RECORD_UDP_CLOSED", CNM_RECORD_UDP_CLOSED);
                CONSTANT("RECORD_UDP_RELEASED", CNM_RECORD_UDP_RELEASED);
                CONSTANT("RECORD_UDP_PEER_LIMIT", CNM_RECORD_UDP_PEER_LIMIT);
                CONSTANT("TELEMETRY_UDP_MAP_FULL", CNM_TEL_UDP_MAP_FULL);
                CONSTANT("TELEMETRY_RINGBUF_FULL", CNM_TEL_RINGBUF_FULL);
                CONSTANT("TELEMETRY_SK_STORAGE_FAILED", CNM_TEL_SK_STORAGE_FAILED);
                CONSTANT("TELEMETRY_UDP_PEER_UNKNOWN", CNM_TEL_UDP_PEER_UNKNOWN);
                CONSTANT("TELEMETRY_TCP_TRACKED", CNM_TEL_TCP_TRACKED);
                CONSTANT("TELEMETRY_UDP_PEER_LIMIT", CNM_TEL_UDP_PEER_LIMIT);
                CONSTANT("TELEMETRY_TCP_LIVE_FULL", CNM_TEL_TCP_LIVE_FULL);
                CONSTANT("TELEMETRY_UDP_LOST", CNM_TEL_UDP_LOST);
                CONSTANT("TELEMETRY_TCP_CLOSES_SUBMITTED", CNM_TEL_TCP_CLOSES_SUBMITTED);
                CONSTANT("TELEMETRY_SLOTS", CNM_TEL_SLOTS);
                return 0;
            }
            """;

    /** What the C compiler says, by name: fields, struct sizes and macro values. */
    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();
    private static final Map<String, Long> SIZES = new LinkedHashMap<>();
    private static final Map<String, Long> CONSTANTS = new TreeMap<>();
    private static String COMPILER;

    @BeforeAll
    static void compileAndRunLayoutProgram(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "cnm_conn.h includes <linux/types.h>: Linux only");
        COMPILER = Stream.of("gcc", "clang").filter(c -> run(dir, c, "--version").exitCode == 0).findFirst().orElse(null);
        if (COMPILER == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: neither gcc nor clang is installed, the layout cannot be checked");
        }
        Assumptions.assumeTrue(COMPILER != null, "no C compiler (gcc or clang) is installed");
        Path source = Files.writeString(dir.resolve("layout.c"), PROGRAM);
        Path binary = dir.resolve("layout");

        Run compile = run(dir, COMPILER, "-std=c11", "-Wall", "-Werror", "-I" + HEADER_DIR, "-o", binary.toString(),
                source.toString());
        assertThat(compile.exitCode).as("gcc: %s", compile.output).isZero();
        Run layout = run(dir, binary.toString());
        assertThat(layout.exitCode).as("layout program: %s", layout.output).isZero();

        for (String line : layout.output.strip().split("\n")) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "field" -> FIELDS.put(parts[1], new Field(parts[1], Long.parseLong(parts[2]),
                        Long.parseLong(parts[3])));
                case "size" -> SIZES.put(parts[1], Long.parseLong(parts[2]));
                default -> CONSTANTS.put(parts[1], Long.parseLong(parts[2]));
            }
        }
    }

    @Test
    void everyFieldTheDecoderReadsHasTheHeadersOffsetAndWidth() {
        // widths as ConnRecordDecoder reads them: U64, U32, U16, a byte, or 16-byte addresses
        List<Field> java = List.of(
                new Field("KEY_COOKIE", KEY_COOKIE, 8),
                new Field("KEY_RADDR", KEY_RADDR, 16),
                new Field("KEY_RPORT", KEY_RPORT, 2),
                new Field("KEY_FAMILY", KEY_FAMILY, 1),
                new Field("KEY_PROTOCOL", KEY_PROTOCOL, 1),
                new Field("STATS_LADDR", STATS_LADDR, 16),
                new Field("STATS_RADDR", STATS_RADDR, 16),
                new Field("STATS_LPORT", STATS_LPORT, 2),
                new Field("STATS_RPORT", STATS_RPORT, 2),
                new Field("STATS_FAMILY", STATS_FAMILY, 1),
                new Field("STATS_PROTOCOL", STATS_PROTOCOL, 1),
                new Field("STATS_DIRECTION", STATS_DIRECTION, 1),
                new Field("STATS_ESTABLISHED", STATS_ESTABLISHED, 1),
                new Field("STATS_PID", STATS_PID, 4),
                new Field("STATS_NETNS", STATS_NETNS, 4),
                new Field("STATS_START_NS", STATS_START_NS, 8),
                new Field("STATS_LAST_UPDATE_NS", STATS_LAST_UPDATE_NS, 8),
                new Field("STATS_BYTES_SENT", STATS_BYTES_SENT, 8),
                new Field("STATS_BYTES_RECV", STATS_BYTES_RECV, 8),
                new Field("STATS_PACKETS_SENT", STATS_PACKETS_SENT, 8),
                new Field("STATS_PACKETS_RECV", STATS_PACKETS_RECV, 8),
                new Field("STATS_RETRANSMITS", STATS_RETRANSMITS, 4),
                new Field("STATS_SRTT_US", STATS_SRTT_US, 4),
                new Field("STATS_RTTVAR_US", STATS_RTTVAR_US, 4),
                new Field("STATS_FAILURE_ERRNO", STATS_FAILURE_ERRNO, 4),
                new Field("STATS_CGROUP_ID", STATS_CGROUP_ID, 8),
                new Field("STATS_SEQ", STATS_SEQ, 8),
                new Field("STATS_COMM", STATS_COMM, STATS_COMM_BYTES),
                new Field("STATS_LIVE_PASS", STATS_LIVE_PASS, 4),
                new Field("RECORD_KEY", RECORD_KEY, KEY_BYTES),
                new Field("RECORD_STATS", RECORD_STATS, STATS_BYTES),
                new Field("RECORD_KIND", RECORD_KIND, 4),
                new Field("CONFIG_COLLECT_TCP", CONFIG_COLLECT_TCP, 4),
                new Field("CONFIG_COLLECT_UDP", CONFIG_COLLECT_UDP, 4),
                new Field("CONFIG_COLLECT_IPV6", CONFIG_COLLECT_IPV6, 4),
                new Field("CONFIG_UDP_PEER_LIMIT", CONFIG_UDP_PEER_LIMIT, 4),
                new Field("CONFIG_TCP_LIVE_ITERATOR", CONFIG_TCP_LIVE_ITERATOR, 4));

        List<Field> fromHeader = java.stream().map(f -> FIELDS.get(f.name())).toList();

        assertThat(fromHeader).isEqualTo(java);
    }

    @Test
    void recordSizesAreTheHeaders() {
        assertThat(SIZES).isEqualTo(Map.of("KEY_BYTES", (long) KEY_BYTES, "STATS_BYTES", (long) STATS_BYTES,
                "RECORD_BYTES", (long) RECORD_BYTES, "CONFIG_BYTES", (long) CONFIG_BYTES));
    }

    /**
     * The fields this test lists cover each struct end to end without holes, so none was
     * forgotten here and the compiler added no implicit padding the decoder would not expect.
     */
    @Test
    void listedFieldsTileEachStructWithoutHoles() {
        for (String struct : List.of("KEY", "STATS", "RECORD", "CONFIG")) {
            List<Field> fields = new ArrayList<>(FIELDS.values().stream()
                    .filter(f -> f.name().startsWith(struct + "_"))
                    .toList());
            fields.sort(Comparator.comparingLong(Field::offset));
            long end = 0;
            for (Field field : fields) {
                assertThat(field.offset()).as("%s starts where the previous field ends", field.name()).isEqualTo(end);
                end = field.offset() + field.size();
            }

            assertThat(end).as("%s fields end at sizeof", struct).isEqualTo(SIZES.get(struct + "_BYTES"));
        }
    }

    @Test
    void recordKindsAndTelemetrySlotsAreTheHeaders() {
        Map<String, Long> java = new TreeMap<>(Map.ofEntries(
                Map.entry("RECORD_TCP_CLOSED", (long) RECORD_TCP_CLOSED),
                Map.entry("RECORD_UDP_CLOSED", (long) RECORD_UDP_CLOSED),
                Map.entry("RECORD_UDP_RELEASED", (long) RECORD_UDP_RELEASED),
                Map.entry("RECORD_UDP_PEER_LIMIT", (long) RECORD_UDP_PEER_LIMIT),
                Map.entry("TELEMETRY_UDP_MAP_FULL", (long) TELEMETRY_UDP_MAP_FULL),
                Map.entry("TELEMETRY_RINGBUF_FULL", (long) TELEMETRY_RINGBUF_FULL),
                Map.entry("TELEMETRY_SK_STORAGE_FAILED", (long) TELEMETRY_SK_STORAGE_FAILED),
                Map.entry("TELEMETRY_UDP_PEER_UNKNOWN", (long) TELEMETRY_UDP_PEER_UNKNOWN),
                Map.entry("TELEMETRY_TCP_TRACKED", (long) TELEMETRY_TCP_TRACKED),
                Map.entry("TELEMETRY_UDP_PEER_LIMIT", (long) TELEMETRY_UDP_PEER_LIMIT),
                Map.entry("TELEMETRY_TCP_LIVE_FULL", (long) TELEMETRY_TCP_LIVE_FULL),
                Map.entry("TELEMETRY_UDP_LOST", (long) TELEMETRY_UDP_LOST),
                Map.entry("TELEMETRY_TCP_CLOSES_SUBMITTED", (long) TELEMETRY_TCP_CLOSES_SUBMITTED),
                Map.entry("TELEMETRY_SLOTS", (long) TELEMETRY_SLOTS)));

        assertThat(CONSTANTS).isEqualTo(java);
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output;
            try (InputStream out = process.getInputStream()) {
                process.getOutputStream().close();
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!waitFor(process)) {
                process.destroyForcibly();
                return new Run(-1, String.join(" ", command) + " did not finish");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        }
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
