package io.cnm4j.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Network namespaces of a test's own, made and removed with {@code ip}. */
final class TestNamespaces {
    private static final long TIMEOUT_SECONDS = 10L * KernelTestSupport.TIME_SCALE;

    private TestNamespaces() {
    }

    /** Runs {@code ip} with the arguments; fails with its output when it fails. */
    static void ip(String... arguments) {
        run("ip", arguments);
    }

    /** Runs a command inside a namespace; fails with its output when it fails. */
    static void exec(String namespace, String... command) {
        List<String> arguments = new ArrayList<>(List.of("netns", "exec", namespace));
        arguments.addAll(List.of(command));
        run("ip", arguments.toArray(String[]::new));
    }

    /** A new namespace with its loopback up; one left behind by an aborted run is replaced. */
    static void add(String namespace) {
        delete(namespace);
        ip("netns", "add", namespace);
        ip("-n", namespace, "link", "set", "lo", "up");
    }

    /** Two namespaces joined by a veth pair, each end with its address (/24) and up. */
    static void addPair(String first, String firstAddress, String second, String secondAddress) {
        add(first);
        add(second);
        String firstLink = first + "-v";
        String secondLink = second + "-v";
        ip("link", "add", firstLink, "netns", first, "type", "veth", "peer", "name", secondLink, "netns", second);
        ip("-n", first, "address", "add", firstAddress + "/24", "dev", firstLink);
        ip("-n", second, "address", "add", secondAddress + "/24", "dev", secondLink);
        ip("-n", first, "link", "set", firstLink, "up");
        ip("-n", second, "link", "set", secondLink, "up");
    }

    /** Deletes the namespace if it exists (its veth ends go with it). */
    static void delete(String namespace) {
        if (Files.exists(Path.of("/run/netns", namespace))) {
            ip("netns", "delete", namespace);
        }
    }

    /** The inode of a named namespace, as the kernel reports it for its sockets. */
    static long inode(String namespace) throws IOException {
        return ((Number) Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino")).longValue();
    }

    /** Runs a command; fails with its output when it fails. */
    static void run(String program, String... arguments) {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
