package io.cnm4j.linux.internal.sockdiag;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offsets {@link InetDiag} derives from its layouts are those of the installed kernel UAPI
 * headers, as gcc lays the structs out.
 */
class InetDiagLayoutTest {
    private static final String PROGRAM = """
            #include <stdio.h>
            #include <stddef.h>
            #include <linux/inet_diag.h>
            #include <linux/sock_diag.h>
            #include <linux/tcp.h>
            #define OFF(s, m) printf(#s "." #m " %zu\\n", offsetof(struct s, m))
            int main(void)
            {
                printf("sizeof.inet_diag_req_v2 %zu\\n", sizeof(struct inet_diag_req_v2));
                printf("sizeof.inet_diag_msg %zu\\n", sizeof(struct inet_diag_msg));
                printf("SOCK_DIAG_BY_FAMILY %d\\n", SOCK_DIAG_BY_FAMILY);
                printf("INET_DIAG_INFO %d\\n", INET_DIAG_INFO);
                OFF(inet_diag_req_v2, sdiag_family);
                OFF(inet_diag_req_v2, sdiag_protocol);
                OFF(inet_diag_req_v2, idiag_ext);
                OFF(inet_diag_req_v2, idiag_states);
                OFF(inet_diag_msg, idiag_family);
                OFF(inet_diag_msg, idiag_state);
                OFF(inet_diag_msg, id.idiag_sport);
                OFF(inet_diag_msg, id.idiag_dport);
                OFF(inet_diag_msg, id.idiag_src);
                OFF(inet_diag_msg, id.idiag_dst);
                OFF(inet_diag_msg, id.idiag_cookie);
                OFF(inet_diag_msg, idiag_inode);
                OFF(tcp_info, tcpi_rtt);
                OFF(tcp_info, tcpi_rttvar);
                OFF(tcp_info, tcpi_total_retrans);
                OFF(tcp_info, tcpi_bytes_acked);
                OFF(tcp_info, tcpi_bytes_received);
                OFF(tcp_info, tcpi_segs_out);
                OFF(tcp_info, tcpi_segs_in);
                OFF(tcp_info, tcpi_bytes_sent);
                OFF(tcp_info, tcpi_bytes_retrans);
                return 0;
            }
            """;

    private static final Map<String, Long> C = new HashMap<>();

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/include/linux/inet_diag.h")),
                "kernel UAPI headers are not installed");
        Assumptions.assumeTrue(run(dir, "gcc", "--version").startsWith("0"), "gcc is not installed");
        Path source = Files.writeString(dir.resolve("layout.c"), PROGRAM);
        String compiled = run(dir, "gcc", "-std=gnu11", "-Wall", "-Werror", "-o", "layout", source.toString());
        assertThat(compiled).startsWith("0");
        String output = run(dir, dir.resolve("layout").toString());
        assertThat(output).startsWith("0");
        output.lines().skip(1).forEach(line -> C.put(line.split(" ")[0], Long.parseLong(line.split(" ")[1])));
    }

    @Test
    void structSizesAndConstantsMatchTheHeaders() {
        assertThat(InetDiag.REQUEST.byteSize()).isEqualTo(C.get("sizeof.inet_diag_req_v2"));
        assertThat(InetDiag.MESSAGE.byteSize()).isEqualTo(C.get("sizeof.inet_diag_msg"));
        assertThat((long) InetDiag.SOCK_DIAG_BY_FAMILY).isEqualTo(C.get("SOCK_DIAG_BY_FAMILY"));
        assertThat((long) InetDiag.INET_DIAG_INFO).isEqualTo(C.get("INET_DIAG_INFO"));
        assertThat((long) InetDiag.EXT_INFO).isEqualTo(1L << (C.get("INET_DIAG_INFO") - 1));
    }

    @Test
    void requestAndMessageOffsetsMatchTheHeaders() {
        assertThat(InetDiag.REQUEST_FAMILY).isEqualTo(C.get("inet_diag_req_v2.sdiag_family"));
        assertThat(InetDiag.REQUEST_PROTOCOL).isEqualTo(C.get("inet_diag_req_v2.sdiag_protocol"));
        assertThat(InetDiag.REQUEST_EXT).isEqualTo(C.get("inet_diag_req_v2.idiag_ext"));
        assertThat(InetDiag.REQUEST_STATES).isEqualTo(C.get("inet_diag_req_v2.idiag_states"));
        assertThat(InetDiag.MSG_FAMILY).isEqualTo(C.get("inet_diag_msg.idiag_family"));
        assertThat(InetDiag.MSG_STATE).isEqualTo(C.get("inet_diag_msg.idiag_state"));
        assertThat(InetDiag.MSG_SPORT).isEqualTo(C.get("inet_diag_msg.id.idiag_sport"));
        assertThat(InetDiag.MSG_DPORT).isEqualTo(C.get("inet_diag_msg.id.idiag_dport"));
        assertThat(InetDiag.MSG_SRC).isEqualTo(C.get("inet_diag_msg.id.idiag_src"));
        assertThat(InetDiag.MSG_DST).isEqualTo(C.get("inet_diag_msg.id.idiag_dst"));
        assertThat(InetDiag.MSG_COOKIE).isEqualTo(C.get("inet_diag_msg.id.idiag_cookie"));
        assertThat(InetDiag.MSG_INODE).isEqualTo(C.get("inet_diag_msg.idiag_inode"));
    }

    @Test
    void tcpInfoOffsetsMatchTheHeader() {
        assertThat(InetDiag.TCPI_RTT).isEqualTo(C.get("tcp_info.tcpi_rtt"));
        assertThat(InetDiag.TCPI_RTTVAR).isEqualTo(C.get("tcp_info.tcpi_rttvar"));
        assertThat(InetDiag.TCPI_TOTAL_RETRANS).isEqualTo(C.get("tcp_info.tcpi_total_retrans"));
        assertThat(InetDiag.TCPI_BYTES_ACKED).isEqualTo(C.get("tcp_info.tcpi_bytes_acked"));
        assertThat(InetDiag.TCPI_BYTES_RECEIVED).isEqualTo(C.get("tcp_info.tcpi_bytes_received"));
        assertThat(InetDiag.TCPI_SEGS_OUT).isEqualTo(C.get("tcp_info.tcpi_segs_out"));
        assertThat(InetDiag.TCPI_SEGS_IN).isEqualTo(C.get("tcp_info.tcpi_segs_in"));
        assertThat(InetDiag.TCPI_BYTES_SENT).isEqualTo(C.get("tcp_info.tcpi_bytes_sent"));
        assertThat(InetDiag.TCPI_BYTES_RETRANS).isEqualTo(C.get("tcp_info.tcpi_bytes_retrans"));
    }

    /** Exit code, a newline, then the output. */
    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return "127\n" + notInstalled.getMessage();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "-1\ntimed out";
        }
        return process.exitValue() + "\n" + output;
    }
}
