package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An nftables table of a test's own; {@link #close()} deletes it and nothing else (the
 * rest of the ruleset is never touched).
 */
record NftTable(String name) implements AutoCloseable {
    /** Where nft is missing the test is skipped, except under CI, where it fails. */
    static NftTable add(String name, String chains) {
        NftTable table = new NftTable(name);
        Result listed;
        try {
            listed = nft(null, "list", "table", "inet", name);
        } catch (UncheckedIOException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("nft must be installed in CI: " + e.getMessage());
            }
            Assumptions.abort("nft unavailable: " + e.getMessage());
            throw e;
        }
        if (listed.exitCode() == 0) {
            table.close(); // left behind by an aborted run
        }
        nft("table inet " + name + " {\n" + chains + "\n}\n", "-f", "-").check();
        return table;
    }

    @Override
    public void close() {
        nft(null, "delete", "table", "inet", name).check();
    }

    private record Result(String command, int exitCode, String output) {
        void check() {
            if (exitCode != 0) {
                throw new IllegalStateException(command + " failed (" + exitCode + "): " + output);
            }
        }
    }

    private static Result nft(String stdin, String... arguments) {
        List<String> command = new ArrayList<>(List.of("nft"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish");
            }
            return new Result(String.join(" ", command), process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
