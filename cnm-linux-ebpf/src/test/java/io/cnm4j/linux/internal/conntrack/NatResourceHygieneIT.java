package io.cnm4j.linux.internal.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.linux.internal.sockdiag.SockDiagBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Closing gives back every descriptor and thread, including those opened inside another namespace. */
class NatResourceHygieneIT {
    @Test
    void closingTheResolverClosesEverySocketAndStopsItsThread() throws Exception {
        try (NatTestNetwork network = NatTestNetwork.require()) {
            String namespace = network.namespace("h");
            Map<String, String> before = descriptors();

            NatResolver resolver = NatResolver.open(true, NatSettings.DEFAULTS);
            resolver.start();
            long inode = NetworkNamespaces.inodeOf(Path.of("/run/netns", namespace));
            assertThat(resolver.watch(inode, Path.of("/run/netns", namespace))).isTrue();
            awaitWatched(resolver, inode);
            // event and dump sockets in two namespaces, and the thread's way back to its own namespace;
            // other threads of the JVM may open and close files meanwhile, so only these are compared
            Map<String, String> opened = socketsAndNamespacesOpenedSince(before);
            assertThat(opened).hasSize(5);
            resolver.close();
            resolver.close();

            Map<String, String> after = descriptors();
            assertThat(opened).allSatisfy((fd, target) -> assertThat(after.get(fd)).isNotEqualTo(target));
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("cnm4j-conntrack"));
        }
    }

    @Test
    void closingTheSockDiagBackendClosesItsSocket() throws Exception {
        Map<String, String> before = descriptors();

        SockDiagBackends.openPollAndCloseTwice();

        assertThat(socketsAndNamespacesOpenedSince(before)).isEmpty();
    }

    private static void awaitWatched(NatResolver resolver, long inode) throws InterruptedException {
        for (int i = 0; i < 100 && !resolver.namespaces.containsKey(inode); i++) {
            Thread.sleep(50);
        }
        assertThat(resolver.namespaces).containsKey(inode);
    }

    /** Descriptor number to what it points to, as /proc/self/fd shows it. */
    private static Map<String, String> descriptors() throws IOException {
        Map<String, String> targets = new HashMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return targets;
    }

    private static Map<String, String> socketsAndNamespacesOpenedSince(Map<String, String> before) throws IOException {
        Map<String, String> opened = new HashMap<>();
        descriptors().forEach((fd, target) -> {
            if ((target.startsWith("socket:") || target.startsWith("net:")) && !target.equals(before.get(fd))) {
                opened.put(fd, target);
            }
        });
        return opened;
    }
}
