package io.cnm4j.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kernel cost of one process's BPF programs: {@code run_cnt} and {@code run_time_ns} as
 * {@code bpftool -j prog show} reports them while {@code kernel.bpf_stats_enabled} is 1. Only
 * programs with a given name prefix that the given process holds a descriptor of count (found in
 * {@code /proc/PID/fdinfo}, as bpftool builds without its {@code pids} column here): other
 * processes on the machine may load their own copies.
 */
final class BpfProgramStats {
    private static final Path STATS_SWITCH = Path.of("/proc/sys/kernel/bpf_stats_enabled");
    private static final JsonFactory JSON = new JsonFactory();

    /** One program's counters at one moment. */
    record Program(long id, String name, long runCount, long runTimeNanos) {
    }

    /** Restores {@code kernel.bpf_stats_enabled} to what it was before {@link #enable()}. */
    interface Enabled extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private BpfProgramStats() {
    }

    /** Turns run statistics on (they cost a clock read per program run, so they are off by default). */
    static Enabled enable() throws IOException {
        String before = Files.readString(STATS_SWITCH).strip();
        Files.writeString(STATS_SWITCH, "1");
        return () -> Files.writeString(STATS_SWITCH, before);
    }

    /** The programs {@code pid} holds whose names start with {@code prefix}, by program id. */
    static Map<Long, Program> of(long pid, String prefix) throws IOException, InterruptedException {
        Set<Long> held = heldProgramIds(pid);
        Process bpftool = new ProcessBuilder("bpftool", "-j", "prog", "show")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream json = bpftool.getInputStream()) {
            Map<Long, Program> programs = parse(json, held, prefix);
            if (bpftool.waitFor() != 0) {
                throw new IOException("bpftool -j prog show exited with " + bpftool.exitValue());
            }
            return programs;
        } finally {
            bpftool.destroyForcibly();
        }
    }

    /** Parses bpftool's JSON array of programs, keeping those named {@code prefix*} whose id is in {@code held}. */
    static Map<Long, Program> parse(InputStream json, Set<Long> held, String prefix) throws IOException {
        Map<Long, Program> programs = new TreeMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("bpftool output is not a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                long id = -1;
                String name = "";
                long runCount = 0;
                long runTime = 0;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "id" -> id = parser.getLongValue();
                        case "name" -> name = parser.getText();
                        case "run_cnt" -> runCount = parser.getLongValue();
                        case "run_time_ns" -> runTime = parser.getLongValue();
                        default -> parser.skipChildren();
                    }
                }
                if (held.contains(id) && name.startsWith(prefix)) {
                    programs.put(id, new Program(id, name, runCount, runTime));
                }
            }
        }
        return programs;
    }

    /** Ids of the BPF programs {@code pid} has a descriptor of: {@code prog_id:} lines of its fdinfo. */
    static Set<Long> heldProgramIds(long pid) throws IOException {
        Set<Long> ids = new HashSet<>();
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
            for (Path fd : entries) {
                try {
                    if (!Files.readSymbolicLink(fd).toString().equals("anon_inode:bpf-prog")) {
                        continue;
                    }
                    for (String line : Files.readAllLines(fds.resolveSibling("fdinfo").resolve(fd.getFileName()))) {
                        if (line.startsWith("prog_id:")) {
                            ids.add(Long.parseLong(line.substring("prog_id:".length()).strip()));
                        }
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // the descriptor was closed while we looked
                }
            }
        }
        return ids;
    }
}
