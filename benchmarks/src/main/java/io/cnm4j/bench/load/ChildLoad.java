package io.cnm4j.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@link LoopbackLoad} child process: starts it, learns its server port, waits for its result. */
final class ChildLoad implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    final int serverPort;

    private ChildLoad(Process process) throws IOException {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = output.readLine();
        if (ready == null || !ready.startsWith("PORT ")) {
            throw new IOException("load process did not start: " + ready);
        }
        serverPort = Integer.parseInt(ready.substring(5).trim());
    }

    static ChildLoad start(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LoopbackLoad.class.getName());
        command.addAll(List.of(arguments));
        return new ChildLoad(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Waits for the end: {operations, elapsed nanos}. */
    long[] await() throws IOException, InterruptedException {
        String done = output.readLine();
        process.waitFor();
        if (done == null || !done.startsWith("DONE ")) {
            throw new IOException("load process failed: " + done);
        }
        String[] fields = done.split(" ");
        return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])};
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
