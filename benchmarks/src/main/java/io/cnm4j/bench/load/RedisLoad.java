package io.cnm4j.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} on a loopback port (no persistence) and {@code redis-benchmark}
 * as a real request/response client on keep-alive connections. Both are Debian packages
 * ({@code apt-get install redis-server redis-tools}).
 */
final class RedisLoad implements AutoCloseable {
    private final Process server;
    private final int port;

    private RedisLoad(Process server, int port) {
        this.server = server;
        this.port = port;
    }

    static boolean available() {
        return Executables.firstOnPath("redis-server").isPresent() && Executables.firstOnPath("redis-benchmark").isPresent();
    }

    /** Starts redis-server on 127.0.0.1:{@code port} and returns once it accepts connections. */
    static RedisLoad start(int port) throws IOException {
        Process server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no").redirectErrorStream(true).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = log.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.contains("Ready to accept connections")) {
                // keep draining its log, or a full pipe would stop the server
                Thread.ofPlatform().daemon().name("cnm4j-bench-redis-log").start(() -> {
                    try (log) {
                        log.transferTo(Writer.nullWriter());
                    } catch (IOException stopped) {
                        // the server was stopped
                    }
                });
                return new RedisLoad(server, port);
            }
        }
        server.destroyForcibly();
        throw new IOException("redis-server did not start:\n" + seen);
    }

    /** Runs {@code redis-benchmark -t get -c clients -n requests --csv} and returns its GET requests/s. */
    double getsPerSecond(int clients, int requests) throws IOException, InterruptedException {
        Process benchmark = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-t", "get", "-c", Integer.toString(clients), "-n", Integer.toString(requests), "--csv")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String csv = new String(benchmark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (benchmark.waitFor() != 0) {
            throw new IOException("redis-benchmark exited with " + benchmark.exitValue() + ":\n" + csv);
        }
        return getsPerSecond(csv);
    }

    /** The {@code rps} column of the {@code "GET"} row of redis-benchmark's CSV output. */
    static double getsPerSecond(String csv) {
        for (String line : csv.split("\n")) {
            if (line.startsWith("\"GET\",")) {
                String[] columns = line.split(",");
                try {
                    return Double.parseDouble(columns[1].replace("\"", ""));
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw new IllegalArgumentException("no requests/s in redis-benchmark's GET row: " + line, e);
                }
            }
        }
        throw new IllegalArgumentException("no GET row in redis-benchmark's output:\n" + csv);
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
    }
}
