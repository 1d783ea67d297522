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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offsets and widths {@link ConnRecordLayout} and the decoder use are the ones of
 * {@code src/main/bpf/cnm_conn.h}, as a C compiler lays the structs out: a small program compiled
 * with gcc against the header prints every field's offsetof/sizeof. The header uses only
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
                FIELD("STATS_PAD", conn_stats, pad);

                SIZE("EVENT_BYTES", conn_closed_event);
                FIELD("EVENT_KEY", conn_closed_event, key);
                FIELD("EVENT_STATS", conn_closed_event, stats);
                FIELD("EVENT_FAILURE_ERRNO", conn_closed_event, failure_errno);
                FIELD("EVENT_KIND", conn_closed_event, kind);

                CONSTANT("EVENT_TCP_CLOSED", CNM_EVENT_TCP_CLOSED);
                CONSTANT("EVENT_UDP_CLOSED", CNM_EVENT_UDP_CLOSED);
                CONSTANT("EVENT_UDP_RELEASED", CNM_EVENT_UDP_RELEASED);
                CONSTANT("TELEMETRY_CONN_INSERT_FAILED", CNM_TEL_CONN_INSERT_FAILED);
                CONSTANT("TELEMETRY_RINGBUF_FULL", CNM_TEL_RINGBUF_FULL);
                CONSTANT("TELEMETRY_SK_STORAGE_FAILED", CNM_TEL_SK_STORAGE_FAILED);
                CONSTANT("TELEMETRY_UDP_UNPARSED", CNM_TEL_UDP_UNPARSED);
                CONSTANT("TELEMETRY_TCP_LATE_ENTRY", CNM_TEL_TCP_LATE_ENTRY);
                CONSTANT("TELEMETRY_SLOTS", CNM_TEL_SLOTS);
                return 0;
            }
            """;

    /** What the C compiler says, by name: fields, struct sizes and macro values. */
    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();
    private static final Map<String, Long> SIZES = new LinkedHashMap<>();
    private static final Map<String, Long> CONSTANTS = new TreeMap<>();

    @BeforeAll
    static void compileAndRunLayoutProgram(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "cnm_conn.h includes <linux/types.h>: Linux only");
        Assumptions.assumeTrue(run(dir, "gcc", "--version").exitCode == 0, "gcc is not installed");
        Path source = Files.writeString(dir.resolve("layout.c"), PROGRAM);
        Path binary = dir.resolve("layout");

        Run compile = run(dir, "gcc", "-std=c11", "-Wall", "-Werror", "-I" + HEADER_DIR, "-o", binary.toString(),
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
                new Field("EVENT_KEY", EVENT_KEY, KEY_BYTES),
                new Field("EVENT_STATS", EVENT_STATS, STATS_BYTES),
                new Field("EVENT_FAILURE_ERRNO", EVENT_FAILURE_ERRNO, 4),
                new Field("EVENT_KIND", EVENT_KIND, 4));

        List<Field> fromHeader = java.stream().map(f -> FIELDS.get(f.name())).toList();

        assertThat(fromHeader).isEqualTo(java);
    }

    @Test
    void recordSizesAreTheHeaders() {
        assertThat(SIZES).isEqualTo(Map.of("KEY_BYTES", (long) KEY_BYTES, "STATS_BYTES", (long) STATS_BYTES,
                "EVENT_BYTES", (long) EVENT_BYTES));
    }

    /**
     * The fields this test lists cover each struct end to end without holes, so none was
     * forgotten here and the compiler added no implicit padding the decoder would not expect.
     */
    @Test
    void listedFieldsTileEachStructWithoutHoles() {
        for (String struct : List.of("KEY", "STATS", "EVENT")) {
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
    void eventKindsAndTelemetrySlotsAreTheHeaders() {
        Map<String, Long> java = new TreeMap<>(Map.of(
                "EVENT_TCP_CLOSED", (long) EVENT_TCP_CLOSED,
                "EVENT_UDP_CLOSED", (long) EVENT_UDP_CLOSED,
                "EVENT_UDP_RELEASED", (long) EVENT_UDP_RELEASED,
                "TELEMETRY_CONN_INSERT_FAILED", (long) TELEMETRY_CONN_INSERT_FAILED,
                "TELEMETRY_RINGBUF_FULL", (long) TELEMETRY_RINGBUF_FULL,
                "TELEMETRY_SK_STORAGE_FAILED", (long) TELEMETRY_SK_STORAGE_FAILED,
                "TELEMETRY_UDP_UNPARSED", (long) TELEMETRY_UDP_UNPARSED,
                "TELEMETRY_TCP_LATE_ENTRY", (long) TELEMETRY_TCP_LATE_ENTRY,
                "TELEMETRY_SLOTS", (long) TELEMETRY_SLOTS));

        assertThat(CONSTANTS).isEqualTo(java);
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(Path dir, String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output;
            try (InputStream out = process.getInputStream()) {
                process.getOutputStream().close();
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Run(-1, String.join(" ", command) + " did not finish");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            return new Run(-1, e.getMessage());
        }
    }
}
