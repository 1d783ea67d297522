package io.cnm4j.linux.internal.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.cnm4j.linux.internal.sockdiag.SockDiagBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Closing gives back every descriptor and thread, including those opened inside another namespace. */
class NatResourceHygieneIT {
    @Test
    void closingTheResolverClosesEverySocketAndStopsItsThread() throws Exception {
        try (NatTestNetwork network = NatTestNetwork.require()) {
            String namespace = network.namespace("h");
            long before = openDescriptors();

            NatResolver resolver = NatResolver.open(true, NatSettings.DEFAULTS);
            resolver.start();
            long inode = NetworkNamespaces.inodeOf(Path.of("/run/netns", namespace));
            assertThat(resolver.watch(inode, Path.of("/run/netns", namespace))).isTrue();
            awaitWatched(resolver, inode);
            // event and dump sockets in two namespaces, and the thread's way back to its own namespace
            assertThat(openDescriptors()).isEqualTo(before + 5);
            resolver.close();
            resolver.close();

            assertThat(openDescriptors()).isEqualTo(before);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("cnm4j-conntrack"));
        }
    }

    @Test
    void closingTheSockDiagBackendClosesItsSocket() throws Exception {
        long before = openDescriptors();

        SockDiagBackends.openPollAndCloseTwice();

        assertThat(openDescriptors()).isEqualTo(before);
    }

    private static void awaitWatched(NatResolver resolver, long inode) throws InterruptedException {
        for (int i = 0; i < 100 && !resolver.namespaces.containsKey(inode); i++) {
            Thread.sleep(50);
        }
        assertThat(resolver.namespaces).containsKey(inode);
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
