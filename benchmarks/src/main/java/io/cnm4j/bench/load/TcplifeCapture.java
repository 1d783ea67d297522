package io.cnm4j.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libbpf-tools' {@code tcplife}, the C peer: one line per closed TCP socket, read from a pipe
 * and counted by this JVM. Its lost-event warnings count as loss.
 */
final class TcplifeCapture extends ChildCapture {
    static final Path TCPLIFE = Path.of("/usr/sbin/tcplife");
    private static final Pattern LOST = Pattern.compile("lost (\\d+) events");

    private TcplifeCapture(Process process) {
        super(process);
    }

    /** Whether tcplife is installed and can attach (its classic tracepoints need tracefs). */
    static boolean available() throws InterruptedException {
        return Files.isExecutable(TCPLIFE) && mountTracefs();
    }

    /** Starts tcplife and returns once it printed its header, that is once it is attached. */
    static TcplifeCapture start() throws IOException {
        // line-buffered: through a pipe, stdio would hold the header and the lines in its buffer
        Process process = new ProcessBuilder("stdbuf", "-oL", TCPLIFE.toString()).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String header = lines.readLine();
        if (header == null || !header.startsWith("PID")) {
            process.destroyForcibly();
            throw new IOException("tcplife did not start: " + header);
        }
        TcplifeCapture capture = new TcplifeCapture(process);
        Thread.ofPlatform().daemon().name("cnm4j-bench-tcplife-reader").start(() -> {
            try (lines) {
                for (String line; (line = lines.readLine()) != null; ) {
                    count(line, capture.tally());
                }
            } catch (IOException stopped) {
                // tcplife was stopped
            }
        });
        return capture;
    }

    /**
     * Counts one output line: {@code PID COMM LADDR LPORT RADDR RPORT TX_KB RX_KB MS}, read from
     * the end because COMM may hold spaces; or a {@code lost N events on CPU #C} warning.
     */
    static void count(String line, StormTally tally) {
        Matcher lost = LOST.matcher(line);
        if (lost.find()) {
            tally.lost("lost_events", Long.parseLong(lost.group(1)));
            return;
        }
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 9) {
            return;
        }
        try {
            int n = fields.length;
            tally.closed(Integer.parseInt(fields[n - 6]), Integer.parseInt(fields[n - 4]), 1);
        } catch (NumberFormatException notAConnectionLine) {
            // a header or a message
        }
    }

    @Override
    public String name() {
        return "tcplife";
    }

    private static boolean mountTracefs() throws InterruptedException {
        if (Files.exists(Path.of("/sys/kernel/tracing/events"))) {
            return true;
        }
        try {
            return new ProcessBuilder("mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing").inheritIO().start()
                    .waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
