package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.Counters;
import io.cnm4j.linux.internal.CgroupMounts;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A monitor inside a private cgroup namespace, as containerd and Docker start containers on cgroup
 * v2: the probe ({@link CgroupNamespaceProbe}) is moved into a cgroup of its own, unshares its
 * cgroup and mount namespaces and mounts cgroup2 afresh, so that the mount shows only its own
 * subtree. The UDP traffic is this test's, from a process outside that subtree.
 *
 * <ul>
 *   <li>With a private PID namespace too, nothing reaches the hierarchy's root: Capabilities says
 *       that UDP sees only the processes below the mounted cgroup.
 *   <li>When PID 1 of its PID namespace lives in a mount namespace with the whole hierarchy (as
 *       with the host's PID namespace), the programs attach to the root through
 *       {@code /proc/1/root} and the host's UDP flows are exact.
 * </ul>
 */
class PrivateCgroupNamespaceIT {
    private static final String RUN = Long.toString(ProcessHandle.current().pid());
    private static final int DATAGRAMS = 3;
    private static final int DATAGRAM_BYTES = 100;

    private Path mount;
    private Path probeCgroup;

    @BeforeEach
    void cgroupForTheProbe() throws IOException {
        KernelTestSupport.requireEbpf();
        mount = CgroupMounts.cgroup2().orElseThrow();
        probeCgroup = Files.createDirectories(mount.resolve("cnmit-cgns" + RUN));
    }

    @AfterEach
    void removeTheProbesCgroup() throws IOException {
        if (probeCgroup != null) {
            Files.deleteIfExists(probeCgroup);
        }
    }

    @Test
    void withoutAWayToTheHierarchysRootCapabilitiesSayThatUdpSeesOnlyTheSubtree() throws Exception {
        // given: cgroup, mount and PID namespaces of its own
        List<String> command = List.of("unshare", "--cgroup", "--mount", "--pid", "--fork", "--mount-proc",
                "sh", "-c", remountThenRun("caps"));

        // when
        Map<String, String> probe = runProbe(command, null);

        // then
        assertThat(probe.get("backend")).as(probe.get("output")).isEqualTo(LinuxEbpfBackendProvider.NAME);
        assertThat(probe.get("udp_enabled")).isEqualTo("true");
        assertThat(probe.get("udp")).endsWith("; only processes below the cgroup mounted at " + mount
                + ", which is not the hierarchy's root (a container with a private cgroup namespace): run the"
                + " monitor in the host's cgroup or PID namespace to see every process");
    }

    @Test
    void throughPid1sRootTheProgramsAttachToTheHierarchysRootAndHostUdpIsExact() throws Exception {
        // given: PID 1 (a shell) keeps the whole hierarchy; the probe, its child, has its own
        // cgroup and mount namespaces
        List<String> command = List.of("unshare", "--pid", "--fork", "--mount-proc", "sh", "-c",
                "unshare --cgroup --mount sh -c '" + remountThenRun("flows") + "'; exit $?");

        // when
        Map<String, String> probe = runProbe(command, this::exchangeDatagrams);

        // then
        long bytes = (long) DATAGRAMS * DATAGRAM_BYTES;
        assertThat(probe.get("udp")).as(probe.get("output")).doesNotContain("only processes below");
        assertThat(probe.get("sender")).isEqualTo(new Counters(bytes, 0, DATAGRAMS, 0, 0, 0, 0).toString());
        assertThat(probe.get("receiver")).isEqualTo(new Counters(0, bytes, 0, DATAGRAMS, 0, 0, 0).toString());
    }

    /** The shell command, for the probe's own mount namespace, that shows only its cgroup, then starts it. */
    private String remountThenRun(String mode) {
        return "umount " + mount + " && mount -t cgroup2 cgroup2 " + mount + " && exec "
                + String.join(" ", javaCommand(mode));
    }

    /** The probe runs as a class-path application: the test's class path and module path as one class path. */
    private static List<String> javaCommand(String mode) {
        String classPath = System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, CgroupNamespaceProbe.class.getName(), mode);
    }

    /** Unconnected sendto and recvfrom on loopback, both sockets closed; returns their ports. */
    private String exchangeDatagrams() throws IOException {
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            receiver.setSoTimeout(5_000);
            for (int datagram = 0; datagram < DATAGRAMS; datagram++) {
                sender.send(new DatagramPacket(new byte[DATAGRAM_BYTES], DATAGRAM_BYTES,
                        receiver.getLocalSocketAddress()));
                DatagramPacket received = new DatagramPacket(new byte[2 * DATAGRAM_BYTES], 2 * DATAGRAM_BYTES);
                receiver.receive(received);
                assertThat(received.getLength()).isEqualTo(DATAGRAM_BYTES);
            }
            return sender.getLocalPort() + " " + receiver.getLocalPort();
        }
    }

    /**
     * Starts the probe in the cgroup made for it (the shell moves itself there first, so that the
     * cgroup namespace unshared below is rooted in it), waits for {@code ready}, gives it what
     * {@code traffic} returns, and collects its {@code key=value} lines.
     */
    private Map<String, String> runProbe(List<String> unshared, Traffic traffic) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "echo $$ > " + probeCgroup.resolve("cgroup.procs") + " && exec \"$@\"", "probe"));
        command.addAll(unshared);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Map<String, String> probe = new HashMap<>();
        try (var lines = process.inputReader(StandardCharsets.UTF_8); OutputStream input = process.getOutputStream()) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                if (line.equals("ready") && traffic != null) {
                    input.write((traffic.run() + "\n").getBytes(StandardCharsets.UTF_8));
                    input.flush();
                }
                int equals = line.indexOf('=');
                if (equals > 0) {
                    probe.putIfAbsent(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        } finally {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("probe still runs after its output ended: " + output);
            }
        }
        assertThat(process.exitValue()).as(output.toString()).isZero();
        probe.put("output", output.toString());
        return probe;
    }

    @FunctionalInterface
    private interface Traffic {
        String run() throws IOException;
    }
}
