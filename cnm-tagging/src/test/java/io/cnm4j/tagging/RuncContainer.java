package io.cnm4j.tagging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A busybox-static container run by {@code runc} from a bundle built here: own PID, mount, UTS,
 * IPC and network namespaces, cgroup {@code /<parent>/<id>} with a {@code tag-} prefixed parent.
 * Closing kills and deletes it and removes its cgroups from every hierarchy.
 */
final class RuncContainer implements AutoCloseable {
    static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    static final List<String> APPLETS = List.of("sh", "sleep", "ip", "httpd", "wget", "true");

    final String id;
    final String cgroupParent;
    final Path bundle;
    private final Path log;

    private RuncContainer(String id, String cgroupParent, Path bundle) {
        this.id = id;
        this.cgroupParent = cgroupParent;
        this.bundle = bundle;
        this.log = bundle.resolve("container.log");
    }

    static Path runc() {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "runc");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Builds the bundle under {@code dir} and starts {@code /bin/sh -c script} detached. */
    static RuncContainer start(Path dir, String cgroupParent, String script) throws IOException, InterruptedException {
        RootTests.require(runc() != null, "runc is not installed (apt-get install runc busybox-static)");
        RootTests.require(Files.isExecutable(BUSYBOX), "busybox-static is not installed");
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.createDirectories(bundle.resolve("rootfs/proc"));
        Files.createDirectories(bundle.resolve("rootfs/www"));
        Files.writeString(bundle.resolve("rootfs/www/index.html"), "hello from the container\n");
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        bin.resolve("busybox").toFile().setExecutable(true);
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        RuncContainer container = new RuncContainer(RootTests.containerId(), cgroupParent, bundle);
        Files.writeString(bundle.resolve("config.json"), container.config(script));
        Process run = new ProcessBuilder(runc().toString(), "run", "--detach", "--bundle", bundle.toString(), container.id)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(container.log.toFile()).redirectErrorStream(true).start();
        if (!run.waitFor(30, TimeUnit.SECONDS) || run.exitValue() != 0) {
            throw new IllegalStateException("runc run failed: " + Files.readString(container.log));
        }
        return container;
    }

    private String config(String script) {
        String quoted = script.replace("\\", "\\\\").replace("\"", "\\\"");
        return """
                {"ociVersion": "1.0.2",
                 "process": {"terminal": false, "user": {"uid": 0, "gid": 0},
                             "args": ["/bin/sh", "-c", "%s"], "env": ["PATH=/bin"], "cwd": "/"},
                 "root": {"path": "rootfs", "readonly": true},
                 "hostname": "tag-runc",
                 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
                 "linux": {"cgroupsPath": "/%s/%s",
                           "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"},
                                          {"type": "network"}]}}
                """.formatted(quoted, cgroupParent, id);
    }

    /** The host PID of the container's init process. */
    int pid() throws IOException, InterruptedException {
        String state = runcOutput("state", id);
        Matcher m = Pattern.compile("\"pid\":\\s*(\\d+)").matcher(state);
        if (!m.find()) {
            throw new IllegalStateException("no pid in runc state: " + state);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Waits until the container printed {@code line}. */
    void awaitOutput(String line, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readAllLines(log, StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("container did not print '" + line + "': " + Files.readString(log));
    }

    private static String runcOutput(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(runc().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        runcOutput("delete", "--force", id);
        // runc removes the container's cgroups, not the parent it was asked to create them under
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                Path parent = hierarchy.resolve(cgroupParent);
                Files.deleteIfExists(parent.resolve(id));
                Files.deleteIfExists(parent);
            }
        }
        Path unified = RootTests.cgroup2().resolve(cgroupParent);
        Files.deleteIfExists(unified.resolve(id));
        Files.deleteIfExists(unified);
    }
}
