package io.cnm4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.cnm4j.core.FlowClient;
import io.cnm4j.core.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A monitor on the eBPF backend gives back everything it took from the kernel and the process:
 * after {@code close()} none of its BPF programs, maps or links exists any more (as the kernel
 * lists them through bpftool) and the process has as many open descriptors as before.
 */
class ResourceHygieneIT {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Path FDINFO = Path.of("/proc/self/fdinfo");
    private static final Pattern FDINFO_ID = Pattern.compile("^(prog_id|map_id|link_id):\\s+(\\d+)$",
            Pattern.MULTILINE);
    /** Each object of {@code bpftool -j ... show} starts with its id. */
    private static final Pattern BPFTOOL_ID = Pattern.compile("\\{\"id\":(\\d+)");
    /** The kernel frees programs and links after an RCU grace period or from a work queue. */
    private static final long RELEASE_WAIT_MILLIS = 2_000;

    @BeforeAll
    static void requireEbpfAndBpftool() {
        KernelTestSupport.requireEbpf();
        try {
            bpftool("version");
        } catch (RuntimeException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("bpftool must be installed in CI: " + e.getMessage());
            }
            Assumptions.abort("bpftool unavailable: " + e.getMessage());
        }
    }

    /**
     * Runs one monitor to its end first: what a JVM keeps after the first use (jar files of
     * classes loaded for the first time, the libbpf mapping) is not a leak of the monitor.
     */
    private static void warmUp() throws Exception {
        try (KernelTestSupport kernel = KernelTestSupport.start()) {
            makeTraffic(kernel);
        }
        bpftool("-j", "prog", "show");
    }

    /**
     * The open descriptors once two reads 100 ms apart agree: a descriptor the JDK is still
     * closing (a child process's pipe, one left to a cleaner) must not enter the baseline.
     */
    private static Map<Integer, String> settledDescriptors() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELEASE_WAIT_MILLIS);
        Map<Integer, String> previous = openDescriptors();
        while (true) {
            System.gc();
            KernelTestSupport.sleep(100);
            Map<Integer, String> current = openDescriptors();
            if (current.equals(previous) || System.nanoTime() > deadline) {
                return current;
            }
            previous = current;
        }
    }

    /** A TCP exchange and a UDP datagram on loopback, delivered once through a poll. */
    private static void makeTraffic(KernelTestSupport kernel) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 50, loopback);
                DatagramSocket udpServer = new DatagramSocket(0, loopback);
                DatagramSocket udpClient = new DatagramSocket(0, loopback)) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                    in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            int clientPort;
            try (Socket socket = new Socket(loopback, server.getLocalPort())) {
                clientPort = socket.getLocalPort();
                socket.getOutputStream().write(new byte[64]);
            }
            accepted.get(5, TimeUnit.SECONDS);
            udpClient.send(new DatagramPacket(new byte[32], 32, loopback, udpServer.getLocalPort()));
            udpServer.receive(new DatagramPacket(new byte[64], 64));
            kernel.awaitConnection(c -> c.key().protocol() == Protocol.TCP && c.key().localPort() == clientPort
                    && c.closed(), "TCP client closed");
            kernel.awaitConnection(c -> c.key().protocol() == Protocol.UDP
                    && c.key().localPort() == udpClient.getLocalPort(), "UDP client");
        }
    }

    @Test
    void closeReleasesEveryProgramMapLinkAndDescriptorTheMonitorCreated() throws Exception {
        // given
        warmUp();
        Map<Integer, String> fdsBefore = settledDescriptors();
        BpfIds heldBefore = BpfIds.heldByThisProcess();
        BpfIds created;

        // when
        try (KernelTestSupport kernel = KernelTestSupport.start()) {
            makeTraffic(kernel);
            created = BpfIds.heldByThisProcess().minus(heldBefore);
            assertThat(BpfIds.listedByKernel().containsAll(created)).as("bpftool lists %s", created).isTrue();
        }

        // then
        assertThat(created.programs()).isNotEmpty();
        assertThat(created.maps()).isNotEmpty();
        assertThat(created.links()).isNotEmpty();
        BpfIds stillListed = awaitReleased(created);
        assertThat(stillListed).isEqualTo(BpfIds.NONE);
        Map<Integer, String> fdsAfter = awaitDescriptorCount(fdsBefore.size());
        assertThat(fdsAfter.size()).as("open descriptors before %s, after %s", fdsBefore, fdsAfter)
                .isEqualTo(fdsBefore.size());
    }

    @Test
    void closingTwiceIsHarmlessAndPollingAfterCloseIsRefused() throws Exception {
        // given
        warmUp();
        Map<Integer, String> fdsBefore = settledDescriptors();
        BpfIds heldBefore = BpfIds.heldByThisProcess();
        KernelTestSupport kernel = KernelTestSupport.start();
        FlowClient client = kernel.client;
        makeTraffic(kernel);
        BpfIds created = BpfIds.heldByThisProcess().minus(heldBefore);

        // when
        kernel.close();

        // then
        assertThatCode(kernel::close).doesNotThrowAnyException();
        assertThatThrownBy(client::poll).isInstanceOf(IllegalStateException.class).hasMessage("monitor is closed");
        assertThat(awaitReleased(created)).isEqualTo(BpfIds.NONE);
        assertThat(awaitDescriptorCount(fdsBefore.size()).size()).isEqualTo(fdsBefore.size());
    }

    /** What of {@code created} the kernel still lists, once it lists none of it or the wait is over. */
    private static BpfIds awaitReleased(BpfIds created) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELEASE_WAIT_MILLIS);
        BpfIds stillListed = BpfIds.listedByKernel().intersection(created);
        while (!stillListed.equals(BpfIds.NONE) && System.nanoTime() < deadline) {
            KernelTestSupport.sleep(50);
            stillListed = BpfIds.listedByKernel().intersection(created);
        }
        return stillListed;
    }

    /** The open descriptors, once there are {@code expected} of them or the wait is over. */
    private static Map<Integer, String> awaitDescriptorCount(int expected) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELEASE_WAIT_MILLIS);
        Map<Integer, String> fds = openDescriptors();
        while (fds.size() != expected && System.nanoTime() < deadline) {
            System.gc();
            KernelTestSupport.sleep(50);
            fds = openDescriptors();
        }
        return fds;
    }

    /** This process's descriptors and what each points to (the listing's own one included). */
    private static Map<Integer, String> openDescriptors() {
        Map<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(FDS)) {
            for (Path fd : entries.toList()) {
                try {
                    fds.put(Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException closedMeanwhile) {
                    // the directory stream's own descriptor, or one closed by another thread
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    private static String bpftool(String... arguments) {
        String[] command = Stream.concat(Stream.of("bpftool"), Stream.of(arguments)).toArray(String[]::new);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            // closed at once: a pipe left to the garbage collector would skew the descriptor count
            try (InputStream out = process.getInputStream()) {
                process.getOutputStream().close();
                output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kernel ids of BPF programs, maps and links. */
    private record BpfIds(Set<Integer> programs, Set<Integer> maps, Set<Integer> links) {
        static final BpfIds NONE = new BpfIds(Set.of(), Set.of(), Set.of());

        BpfIds {
            programs = Collections.unmodifiableSet(new TreeSet<>(programs));
            maps = Collections.unmodifiableSet(new TreeSet<>(maps));
            links = Collections.unmodifiableSet(new TreeSet<>(links));
        }

        /** The objects this process holds a descriptor of, from /proc/self/fdinfo. */
        static BpfIds heldByThisProcess() {
            Set<Integer> programs = new TreeSet<>();
            Set<Integer> maps = new TreeSet<>();
            Set<Integer> links = new TreeSet<>();
            for (Integer fd : openDescriptors().keySet()) {
                String info;
                try {
                    info = Files.readString(FDINFO.resolve(fd.toString()));
                } catch (NoSuchFileException closedMeanwhile) {
                    continue;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Matcher id = FDINFO_ID.matcher(info);
                while (id.find()) {
                    Set<Integer> ids = switch (id.group(1)) {
                        case "prog_id" -> programs;
                        case "map_id" -> maps;
                        default -> links;
                    };
                    ids.add(Integer.parseInt(id.group(2)));
                }
            }
            return new BpfIds(programs, maps, links);
        }

        /** Every object the kernel lists, whoever holds it. */
        static BpfIds listedByKernel() {
            return new BpfIds(listed("prog"), listed("map"), listed("link"));
        }

        private static Set<Integer> listed(String kind) {
            Set<Integer> ids = new TreeSet<>();
            Matcher id = BPFTOOL_ID.matcher(bpftool("-j", kind, "show"));
            while (id.find()) {
                ids.add(Integer.parseInt(id.group(1)));
            }
            return ids;
        }

        BpfIds minus(BpfIds other) {
            return new BpfIds(without(programs, other.programs), without(maps, other.maps),
                    without(links, other.links));
        }

        BpfIds intersection(BpfIds other) {
            return new BpfIds(common(programs, other.programs), common(maps, other.maps), common(links, other.links));
        }

        boolean containsAll(BpfIds other) {
            return programs.containsAll(other.programs) && maps.containsAll(other.maps)
                    && links.containsAll(other.links);
        }

        private static Set<Integer> without(Set<Integer> all, Set<Integer> removed) {
            Set<Integer> result = new TreeSet<>(all);
            result.removeAll(removed);
            return result;
        }

        private static Set<Integer> common(Set<Integer> a, Set<Integer> b) {
            Set<Integer> result = new TreeSet<>(a);
            result.retainAll(b);
            return result;
        }
    }
}
